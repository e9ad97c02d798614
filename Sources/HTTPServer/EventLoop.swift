import CSystemShims
import Glibc
import Observability

/// One event loop thread: an epoll set holding the shared listener, a wake-up
/// eventfd and the connections this loop accepted.
///
/// The listener is one socket registered with EPOLLEXCLUSIVE in every loop,
/// so a new connection wakes one loop instead of all. The port is bound once,
/// which makes port 0 work without a second bind. `stopAccepting` closes that
/// one socket, whereas closing per-loop SO_REUSEPORT sockets would drop the
/// connections queued on them.
///
/// `@unchecked Sendable` invariant: after `init`, every `var` is read and
/// written only by the thread inside `run()`. Other threads call only `wake()`,
/// which writes to an eventfd, and signal through `ServerLifecycle`'s atomics.
final class EventLoop: @unchecked Sendable {
    /// Timeouts in monotonic nanoseconds, and the parser limits, from the configuration.
    struct Settings {
        let limits: HTTPRequestParser.Limits
        let idleTimeout: UInt64
        let headerTimeout: UInt64
        let bodyTimeout: UInt64
        let configuration: HTTPServerConfiguration
    }

    static let maxEvents = 256
    /// epoll_wait timeout; timeouts are checked at this granularity.
    static let tickMilliseconds: Int32 = 100
    static let readChunkBytes = 65536
    /// Pending response bytes above which a connection's pipelined requests wait,
    /// so a client that sends without reading cannot grow the output without bound.
    static let outputHighWater = 256 * 1024
    /// Output capacity a connection keeps between responses; larger buffers are freed.
    static let retainedOutputCapacity = 64 * 1024
    /// How long a closing connection reads and drops input after its final
    /// response, so that unread input does not turn the close into a reset
    /// that destroys the response before the client reads it.
    static let lingerNanoseconds: UInt64 = 2_000_000_000
    static let maxLingerDiscardBytes = 1024 * 1024
    /// Connections accepted per listener wake-up before serving others.
    static let acceptBatch = 64
    /// Pause after accept fails for lack of descriptors or memory.
    static let acceptPauseNanoseconds: UInt64 = 100_000_000

    let epollFD: Int32
    let wakeFD: Int32
    let lifecycle: ServerLifecycle
    let handler: HTTPHandler
    let settings: Settings
    let metrics: ServerMetrics
    let logger: Logger

    // Used on the loop thread only, as the type's invariant states.
    var connections: [Int32: Connection] = [:]
    var serializer: HTTPResponseSerializer
    let readBuffer: UnsafeMutableRawBufferPointer
    let requestMetrics: RequestMetricsRecorder
    var isListenerRegistered = false
    var isListenerReleased = false
    var acceptResumeTime: UInt64?
    var isDraining = false
    var isBroken = false
    var nextTimeoutScan: UInt64 = 0

    init(
        index: Int, lifecycle: ServerLifecycle, settings: Settings, handler: @escaping HTTPHandler,
        metrics: ServerMetrics, logger: Logger
    ) throws(HTTPServerError) {
        guard case .success(let epollFD) = try syscall("epoll_create1", { epoll_create1(Int32(EPOLL_CLOEXEC)) })
        else { throw HTTPServerError.systemCall("epoll_create1", errno: EAGAIN) }
        let flags = Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)
        let wakeFD: Int32
        do throws(HTTPServerError) {
            guard case .success(let fd) = try syscall("eventfd", { eventfd(0, flags) }) else {
                throw HTTPServerError.systemCall("eventfd", errno: EAGAIN)
            }
            wakeFD = fd
        } catch {
            close(epollFD)
            throw error
        }

        self.epollFD = epollFD
        self.wakeFD = wakeFD
        self.lifecycle = lifecycle
        self.settings = settings
        self.handler = handler
        self.serializer = HTTPResponseSerializer(defaultHeaders: settings.configuration.defaultHeaders)
        self.metrics = metrics
        self.logger = logger.withMetadata([LogField.eventLoop: String(index)])
        self.readBuffer = .allocate(byteCount: Self.readChunkBytes, alignment: 16)
        self.requestMetrics = RequestMetricsRecorder(registry: metrics.registry)
        try register(wakeFD, events: EPOLLIN.rawValue)
    }

    deinit {
        close(wakeFD)
        close(epollFD)
        readBuffer.deallocate()
    }

    /// Runs the loop until the server stops it or, while draining, no connection is left.
    func run() {
        registerListener()
        var events = [epoll_event](repeating: epoll_event(), count: Self.maxEvents)
        while !shouldExit() {
            let count = waitForEvents(&events)
            let now = MonotonicClock.nanoseconds()
            for index in 0..<count {
                handle(events[index], now: now)
            }
            applyLifecycle(now: now)
            if now >= nextTimeoutScan {
                closeExpiredConnections(now: now)
                nextTimeoutScan = now + UInt64(Self.tickMilliseconds) * 1_000_000
            }
        }

        closeAllConnections()
        releaseListener()
        lifecycle.loopFinished()
    }

    /// Interrupts `epoll_wait` so the loop rereads the lifecycle flags; callable from any thread.
    func wake() {
        var one: UInt64 = 1
        // A full counter (EAGAIN) already guarantees a wake-up, so the result is ignored.
        _ = write(wakeFD, &one, MemoryLayout<UInt64>.size)
    }

    private func shouldExit() -> Bool {
        isBroken || lifecycle.isStopping || (isDraining && connections.isEmpty)
    }

    private func waitForEvents(_ events: inout [epoll_event]) -> Int {
        do {
            let result = try events.withUnsafeMutableBufferPointer { buffer throws(HTTPServerError) in
                try syscall("epoll_wait") {
                    epoll_wait(epollFD, buffer.baseAddress, Int32(buffer.count), Self.tickMilliseconds)
                }
            }
            guard case .success(let count) = result else { return 0 }
            return Int(count)
        } catch {
            logger.error("event loop stopped: epoll_wait failed", [LogField.error: error.description])
            isBroken = true
            return 0
        }
    }

    private func handle(_ event: epoll_event, now: UInt64) {
        let fd = event.data.fd
        if fd == wakeFD {
            var counter: UInt64 = 0
            _ = read(wakeFD, &counter, MemoryLayout<UInt64>.size)
            return
        }
        if isListenerRegistered && fd == lifecycle.listenerFD {
            acceptConnections(now: now)
            return
        }
        guard let connection = connections[fd] else { return }

        if event.events & EPOLLERR.rawValue != 0 {
            closeConnection(connection)
            return
        }
        if event.events & (EPOLLIN.rawValue | EPOLLHUP.rawValue) != 0 {
            guard readInput(connection) else { return }
        }
        service(connection, now: now)
    }

    /// Applies flags that other threads set: stop accepting, start draining.
    private func applyLifecycle(now: UInt64) {
        if !isListenerReleased && !lifecycle.isAccepting {
            releaseListener()
        }
        if let resume = acceptResumeTime, now >= resume {
            acceptResumeTime = nil
            registerListener()
        }
        if lifecycle.isDraining && !isDraining {
            isDraining = true
            closeIdleConnections()
        }
    }

    func register(_ fd: Int32, events: UInt32) throws(HTTPServerError) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        try syscall("epoll_ctl(ADD)") { epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) }
    }
}
