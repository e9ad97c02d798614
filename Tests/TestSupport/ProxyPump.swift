import Foundation

/// Forwards the bytes of one proxied connection in both directions and
/// carries out the cuts `FaultProxy` decides on. Runs on its own thread and
/// closes both sockets when it returns.
struct ProxyPump {
    /// Time a `beforeReply` cut keeps forwarding request bytes and dropping
    /// reply bytes after the first reply byte, so a pipeline written in
    /// several chunks reaches the server in full before the cut.
    static let beforeReplyGraceNanoseconds: UInt64 = 20_000_000
    static let chunkBytes = 64 * 1024

    let proxy: FaultProxy
    let client: Int32
    let upstream: Int32
    let epoch: Int
    /// A cut decided on the request that happens once the reply starts.
    private var armedCut: FaultProxy.CutKind?
    /// Monotonic deadline of a `beforeReply` cut whose reply has started.
    private var cutDeadline: UInt64?
    private var buffer = [UInt8](repeating: 0, count: Self.chunkBytes)

    init(proxy: FaultProxy, client: Int32, upstream: Int32, epoch: Int) {
        self.proxy = proxy
        self.client = client
        self.upstream = upstream
        self.epoch = epoch
    }

    mutating func run() {
        defer {
            close(client)
            close(upstream)
        }
        while true {
            let (isBlackholed, shouldClose) = proxy.state.withLock { state in
                (state.isBlackholed, state.isStopped || state.epoch != epoch)
            }
            if shouldClose {
                return
            }
            if let deadline = cutDeadline, Self.now() >= deadline {
                proxy.recordCut(.beforeReply)
                return
            }
            if isBlackholed {
                usleep(10_000)
                continue
            }
            guard step() else { return }
        }
    }

    /// Waits up to 20 ms for bytes and forwards them; returns false when the connection ends.
    private mutating func step() -> Bool {
        var sockets = [
            pollfd(fd: client, events: Int16(POLLIN), revents: 0),
            pollfd(fd: upstream, events: Int16(POLLIN), revents: 0),
        ]
        guard poll(&sockets, 2, 20) > 0 else { return true }

        if sockets[0].revents != 0, !forwardRequest() {
            return false
        }
        if sockets[1].revents != 0, !forwardReply() {
            return false
        }
        return true
    }

    private mutating func forwardRequest() -> Bool {
        let count = recv(client, &buffer, buffer.count, 0)
        guard count > 0 else { return false }

        if armedCut == nil, let kind = proxy.decideCut() {
            if kind == .midRequest {
                _ = Self.sendAll(upstream, buffer, count / 2)
                proxy.recordCut(.midRequest)
                return false
            }
            armedCut = kind
        }
        return Self.sendAll(upstream, buffer, count)
    }

    private mutating func forwardReply() -> Bool {
        let count = recv(upstream, &buffer, buffer.count, 0)
        guard count > 0 else { return false }

        switch armedCut {
        case .beforeReply:
            // Drop the reply; the cut happens when the grace period ends.
            if cutDeadline == nil {
                cutDeadline = Self.now() + Self.beforeReplyGraceNanoseconds
            }
            return true
        case .midReply:
            _ = Self.sendAll(client, buffer, count / 2)
            proxy.recordCut(.midReply)
            return false
        case .midRequest, nil:
            return Self.sendAll(client, buffer, count)
        }
    }

    /// Writes the first `count` bytes of `bytes`; returns false if the socket failed.
    private static func sendAll(_ fd: Int32, _ bytes: [UInt8], _ count: Int) -> Bool {
        var offset = 0
        while offset < count {
            let sent = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR {
                continue
            }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    private static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
