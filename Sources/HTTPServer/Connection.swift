/// One accepted TCP connection and its buffers.
///
/// Owned by a single event loop and used only on that loop's thread, so it
/// needs no lock.
final class Connection {
    /// The event the connection waits for, which selects the timeout that applies.
    enum Phase: Equatable {
        /// Between requests on a keep-alive connection.
        case idle
        /// For a request line and header section, including the first request of a new connection.
        case head
        /// For the rest of a request body.
        case body
        /// For the client to accept buffered response bytes.
        case writing
        /// After the final response: the write side is shut down and input is discarded until EOF.
        case lingering
    }

    let fd: Int32
    var parser: HTTPRequestParser
    /// Serialized responses; bytes before `outputOffset` are already sent.
    var output: [UInt8] = []
    var outputOffset = 0
    /// Set once a response carried `Connection: close`, after which no further request is parsed.
    var closeAfterWrite = false
    /// Set when recv returned 0: the client will send nothing more.
    var inputClosed = false
    var phase = Phase.head
    /// When `phase` began, in monotonic nanoseconds; timeouts count from here.
    var phaseStart: UInt64
    /// When a send last made progress, in monotonic nanoseconds.
    var lastWriteProgress: UInt64
    /// Bytes read and dropped while lingering.
    var discardedBytes = 0
    /// The epoll events currently registered for `fd`.
    var registeredEvents: UInt32
    var servedRequests = 0

    init(fd: Int32, limits: HTTPRequestParser.Limits, now: UInt64, registeredEvents: UInt32) {
        self.fd = fd
        self.parser = HTTPRequestParser(limits: limits)
        self.phaseStart = now
        self.lastWriteProgress = now
        self.registeredEvents = registeredEvents
    }

    var pendingOutputCount: Int {
        output.count - outputOffset
    }

    /// Derives the phase from the connection's buffers and parser.
    func currentPhase() -> Phase {
        if phase == .lingering {
            return .lingering
        }
        if pendingOutputCount > 0 {
            return .writing
        }
        switch parser.phase {
        case .idle: return servedRequests == 0 ? .head : .idle
        case .head: return .head
        case .body: return .body
        }
    }
}
