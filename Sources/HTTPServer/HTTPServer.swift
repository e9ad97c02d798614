import Glibc
import Observability
import Synchronization

/// Handles one request. It runs on an event loop thread and must not block,
/// because every other connection of that loop waits while it runs.
public typealias HTTPHandler = @Sendable (HTTPRequest) -> HTTPResponse

/// An HTTP/1.1 server: one listening socket and `eventLoops` threads, each
/// with its own epoll set, that parse requests, call the handler and write responses.
///
/// Lifecycle: `start()` once, then optionally `stopAccepting()`, then
/// `shutdown(gracePeriod:)`. A server is not restartable.
public final class HTTPServer: Sendable {
    private struct Running: Sendable {
        let lifecycle: ServerLifecycle
        let loops: [EventLoop]
        let threads: [LoopThread]
    }

    private enum State: Sendable {
        case notStarted
        case running(Running)
        case stopped
    }

    private let configuration: HTTPServerConfiguration
    private let logger: Logger
    private let metrics: ServerMetrics
    private let handler: HTTPHandler
    /// The lifecycle state, guarded by the mutex; held only briefly, never while waiting for loops.
    private let state = Mutex<State>(.notStarted)
    private let boundPort = Atomic<Int>(0)
    /// Longest time `stopAccepting` waits for the loops to close the listener.
    private static let stopAcceptingWaitNanoseconds: UInt64 = 1_000_000_000

    public init(
        configuration: HTTPServerConfiguration, logger: Logger, metrics: MetricsRegistry,
        handler: @escaping HTTPHandler
    ) {
        self.configuration = configuration
        self.logger = logger
        self.metrics = ServerMetrics(registry: metrics)
        self.handler = handler
    }

    /// The bound port once `start()` returned, else 0.
    public var port: Int {
        boundPort.load(ordering: .acquiring)
    }

    /// Binds the listening socket with SO_REUSEADDR and starts the event loop threads.
    ///
    /// Returns the bound port, which differs from the configured one when that is 0.
    /// Throws if the configuration is invalid, binding fails or the server was already started.
    @discardableResult
    public func start() throws(HTTPServerError) -> Int {
        try configuration.validate()
        let port = try state.withLock { state throws(HTTPServerError) -> Int in
            guard case .notStarted = state else {
                throw HTTPServerError(.invalidState, "start() called on a server that was already started")
            }
            let running = try launch()
            state = .running(running)
            return boundPort.load(ordering: .acquiring)
        }
        logger.debug(
            "HTTP server listening",
            [LogField.host: configuration.host, LogField.port: String(port),
             LogField.eventLoops: String(configuration.eventLoops)])
        return port
    }

    /// Closes the listening socket; open connections continue to be served.
    ///
    /// Returns once the socket is closed, so new connections are refused, or
    /// after one second at most. Called from a handler, it returns at once and
    /// the socket closes when the handler's loop next checks for it.
    public func stopAccepting() {
        guard let running = runningState() else { return }

        running.lifecycle.stopAccepting()
        running.loops.forEach { $0.wake() }
        if !running.threads.contains(where: \.isCurrent) {
            let deadline = MonotonicClock.nanoseconds() + Self.stopAcceptingWaitNanoseconds
            while !running.lifecycle.isListenerClosed && MonotonicClock.nanoseconds() < deadline {
                usleep(1_000)
            }
        }
        logger.debug("HTTP server stopped accepting")
    }

    /// Stops the server: closes the listener, lets in-flight requests finish with
    /// `Connection: close`, closes idle keep-alive connections, waits up to
    /// `gracePeriod` for the rest, then closes every connection and joins the threads.
    ///
    /// Blocks the caller; never call it from a handler, whose loop it would wait for.
    public func shutdown(gracePeriod: Duration) {
        let running: Running? = state.withLock { state in
            guard case .running(let running) = state else { return nil }
            state = .stopped
            return running
        }
        guard let running else { return }

        running.lifecycle.stopAccepting()
        running.lifecycle.beginDraining()
        running.loops.forEach { $0.wake() }
        waitForLoops(running.lifecycle, gracePeriod: gracePeriod)
        if running.lifecycle.runningLoopCount > 0 {
            logger.debug("grace period over, closing remaining connections")
            running.lifecycle.stop()
            running.loops.forEach { $0.wake() }
        }
        running.threads.forEach { $0.join() }
        logger.debug("HTTP server stopped")
    }

    private func runningState() -> Running? {
        state.withLock { state in
            guard case .running(let running) = state else { return nil }
            return running
        }
    }

    private func waitForLoops(_ lifecycle: ServerLifecycle, gracePeriod: Duration) {
        let deadline = MonotonicClock.nanoseconds() + gracePeriod.nanoseconds
        while lifecycle.runningLoopCount > 0 && MonotonicClock.nanoseconds() < deadline {
            usleep(5_000)
        }
    }

    /// Binds the listener, creates the loops and starts their threads.
    private func launch() throws(HTTPServerError) -> Running {
        let listener = try ListenerSocket.make(host: configuration.host, port: configuration.port)
        let lifecycle = ServerLifecycle(listenerFD: listener.fd, loopCount: configuration.eventLoops)

        var loops: [EventLoop] = []
        do throws(HTTPServerError) {
            for index in 0..<configuration.eventLoops {
                loops.append(try EventLoop(
                    index: index, lifecycle: lifecycle, settings: makeSettings(), handler: handler,
                    metrics: metrics, logger: logger))
            }
        } catch {
            close(listener.fd)
            throw error
        }

        let threads = try startThreads(loops, lifecycle: lifecycle)
        boundPort.store(listener.port, ordering: .releasing)
        return Running(lifecycle: lifecycle, loops: loops, threads: threads)
    }

    /// Starts one thread per loop; on failure stops the ones already running.
    private func startThreads(_ loops: [EventLoop], lifecycle: ServerLifecycle) throws(HTTPServerError)
        -> [LoopThread]
    {
        var threads: [LoopThread] = []
        for loop in loops {
            do {
                threads.append(try LoopThread.start(loop))
            } catch {
                // Loops that never ran must still give up their share of the listener.
                for _ in threads.count..<loops.count {
                    lifecycle.releaseListener()
                    lifecycle.loopFinished()
                }
                lifecycle.stop()
                loops.forEach { $0.wake() }
                threads.forEach { $0.join() }
                throw error
            }
        }
        return threads
    }

    private func makeSettings() -> EventLoop.Settings {
        EventLoop.Settings(
            limits: HTTPRequestParser.Limits(configuration),
            idleTimeout: configuration.idleTimeout.nanoseconds,
            headerTimeout: configuration.headerTimeout.nanoseconds,
            bodyTimeout: configuration.bodyTimeout.nanoseconds,
            configuration: configuration)
    }
}
