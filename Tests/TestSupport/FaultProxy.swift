import Foundation
import Synchronization

/// A TCP proxy on a loopback port that forwards every connection to a server
/// on another loopback port and injects faults into the traffic. It cuts
/// connections at random points, stalls them ("blackhole"), or resets every
/// connection while it is "down".
///
/// Each connection has its own thread that polls both sockets. A cut is
/// decided when a chunk of client bytes arrives, with `cutProbability`, from
/// a generator seeded with `seed`, so a schedule repeats for the same traffic.
/// The kinds of cut:
/// - `midRequest`: forwards about half of the chunk, then closes both sides.
/// - `beforeReply`: forwards the chunk, waits for the server's first reply
///   bytes and 20 ms more, drops them and closes: the server ran the
///   commands but the client never sees a reply.
/// - `midReply`: forwards the chunk, then about half of the first chunk of
///   reply bytes, then closes.
///
/// Thread-safe: every setter may be called from any thread while traffic flows.
public final class FaultProxy: Sendable {
    public enum CutKind: String, CaseIterable, Sendable {
        case midRequest
        case beforeReply
        case midReply
    }

    /// What the proxy did so far.
    public struct Statistics: Sendable {
        /// Client connections accepted and forwarded.
        public var connections = 0
        /// Client connections reset at once because the proxy was down.
        public var resetWhileDown = 0
        public var cuts: [CutKind: Int] = [:]

        public var totalCuts: Int {
            cuts.values.reduce(0, +)
        }
    }

    struct State {
        var cutProbability: Double
        var cutKinds: [CutKind]
        var random: SplitMix64
        var isBlackholed = false
        var isDown = false
        /// Grows whenever `goDown()` resets every connection; a connection of an older epoch closes.
        var epoch = 0
        var isStopped = false
        var statistics = Statistics()
    }

    public let port: Int
    public let upstreamPort: Int
    let state: Mutex<State>
    private let listenerFD: Int32
    /// Threads still running, the accept thread included; `stop()` waits for 0.
    let runningThreads = Atomic<Int>(0)

    /// Listens on a free 127.0.0.1 port and forwards to 127.0.0.1:`upstreamPort`.
    public init(
        upstreamPort: Int, cutProbability: Double = 0, cutKinds: [CutKind] = CutKind.allCases, seed: UInt64 = 1
    ) throws {
        precondition(!cutKinds.isEmpty, "at least one kind of cut")
        let (fd, port) = try Self.makeListener()
        self.listenerFD = fd
        self.port = port
        self.upstreamPort = upstreamPort
        state = Mutex(State(cutProbability: cutProbability, cutKinds: cutKinds, random: SplitMix64(seed: seed)))
        startThread { [self] in acceptLoop() }
    }

    deinit {
        stop()
    }

    /// `redis://127.0.0.1:<port>` for clients of a Redis behind the proxy.
    public var redisURL: String {
        "redis://127.0.0.1:\(port)"
    }

    public var statistics: Statistics {
        state.withLock { $0.statistics }
    }

    /// Sets the chance, from 0 to 1, that a chunk of client bytes leads to a cut.
    public func setCutProbability(_ probability: Double) {
        state.withLock { $0.cutProbability = probability }
    }

    /// Stops (true) or resumes (false) forwarding without closing anything;
    /// bytes wait in the socket buffers meanwhile, and new connections are
    /// accepted but not served.
    public func setBlackholed(_ isBlackholed: Bool) {
        state.withLock { $0.isBlackholed = isBlackholed }
    }

    /// Closes every open connection and resets new ones until `goUp()`, as if
    /// the server had gone away.
    public func goDown() {
        state.withLock { state in
            state.isDown = true
            state.epoch += 1
        }
    }

    public func goUp() {
        state.withLock { $0.isDown = false }
    }

    /// Closes the listener and every connection, and waits up to 2 s for the threads to end.
    public func stop() {
        let wasStopped = state.withLock { state in
            defer { state.isStopped = true }
            return state.isStopped
        }
        guard !wasStopped else { return }

        let deadline = Date().addingTimeInterval(2)
        while runningThreads.load(ordering: .acquiring) > 0 && Date() < deadline {
            usleep(5_000)
        }
        close(listenerFD)
    }

    /// Returns the kind of cut for a new chunk of client bytes, or nil to forward it.
    func decideCut() -> CutKind? {
        state.withLock { state in
            guard state.cutProbability > 0 else { return nil }
            let draw = Double.random(in: 0..<1, using: &state.random)
            guard draw < state.cutProbability else { return nil }
            return state.cutKinds.randomElement(using: &state.random)
        }
    }

    func recordCut(_ kind: CutKind) {
        state.withLock { $0.statistics.cuts[kind, default: 0] += 1 }
    }

    func startThread(_ body: @escaping @Sendable () -> Void) {
        runningThreads.add(1, ordering: .acquiringAndReleasing)
        let thread = Thread { [self] in
            body()
            runningThreads.subtract(1, ordering: .acquiringAndReleasing)
        }
        thread.name = "fault-proxy"
        thread.start()
    }

    private func acceptLoop() {
        while !state.withLock({ $0.isStopped }) {
            var poller = pollfd(fd: listenerFD, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }

            let client = accept(listenerFD, nil, nil)
            guard client >= 0 else { continue }
            handleAccepted(client)
        }
    }

    private func handleAccepted(_ client: Int32) {
        let (isDown, epoch) = state.withLock { state in
            if state.isDown {
                state.statistics.resetWhileDown += 1
            }
            return (state.isDown, state.epoch)
        }
        if isDown {
            Self.reset(client)
            return
        }
        guard let upstream = try? TestSocket.connect(host: "127.0.0.1", port: upstreamPort, timeout: .seconds(5)) else {
            Self.reset(client)
            return
        }
        Self.setSendTimeout(client)
        state.withLock { $0.statistics.connections += 1 }
        startThread { [self] in
            var pump = ProxyPump(proxy: self, client: client, upstream: upstream, epoch: epoch)
            pump.run()
        }
    }
}

extension FaultProxy {
    /// Binds 127.0.0.1 on a free port and listens; returns the descriptor and the port.
    static func makeListener() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket() for the fault proxy failed (errno \(errno))") }

        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = FreePort.loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            let code = errno
            close(fd)
            throw FixtureError("bind or listen for the fault proxy failed (errno \(code))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Closes `fd` with a TCP reset instead of an orderly close.
    static func reset(_ fd: Int32) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close(fd)
    }

    /// Makes a blocked write give up after 5 s, so a peer that stopped reading cannot hang a pump thread.
    static func setSendTimeout(_ fd: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}
