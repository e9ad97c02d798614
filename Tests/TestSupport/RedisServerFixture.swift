import Foundation

/// A real `redis-server` on a free loopback port, started for one test.
///
/// The server keeps no data on disk (`--save ""`, `--appendonly no`) and runs
/// in a fresh temporary directory that `stop()` removes. Not thread-safe: one
/// test owns one fixture. Call `stop()` when done; `deinit` stops a server
/// that is still running.
public final class RedisServerFixture {
    public let host = "127.0.0.1"
    public private(set) var port: Int
    /// The extra `redis-server` arguments, such as `--requirepass`.
    public let extraArguments: [String]
    /// The working directory of the server, which also contains its log file.
    public let directory: URL
    let executableURL: URL
    /// The server process; nil before the first launch and after `stop()`.
    var process: ChildProcess?

    /// Seconds to wait for a new server to reply to PING.
    static let startTimeout: TimeInterval = 10
    /// Seconds to wait after SIGTERM before sending SIGKILL.
    static let stopTimeout: TimeInterval = 5

    private init(executable: URL, port: Int, extraArguments: [String], directory: URL) {
        self.executableURL = executable
        self.port = port
        self.extraArguments = extraArguments
        self.directory = directory
    }

    deinit {
        stop()
    }

    /// `redis://127.0.0.1:<port>`, without credentials or database.
    public var url: String {
        "redis://\(host):\(port)"
    }

    /// The PID of the running server, or nil once it has stopped.
    public var processIdentifier: Int32? {
        process.flatMap { $0.isRunning ? $0.pid : nil }
    }

    /// Starts `redis-server` with `arguments` added and waits until it replies to PING.
    ///
    /// Throws `FixtureError` when the binary is missing (a failure, not a
    /// skip), or when the server does not reply within `startTimeout`
    /// seconds; the message then contains the end of the server's log.
    public static func start(arguments: [String] = []) throws -> RedisServerFixture {
        let executable = try findExecutable()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("redis-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)

        let fixture = RedisServerFixture(
            executable: executable, port: try FreePort.find(), extraArguments: arguments, directory: directory)
        // Another process may take the free port before redis-server binds
        // it; a new port usually fixes that.
        var lastError: Error?
        for _ in 0..<3 {
            do {
                try fixture.launch()
                return fixture
            } catch {
                lastError = error
                fixture.port = try FreePort.find()
            }
        }
        throw lastError!
    }

    /// Stops the server and starts a new, empty one on the same port.
    public func restart() throws {
        terminate()
        try launch()
    }

    /// Suspends the server with SIGSTOP: connections stay open but get no replies.
    public func pause() {
        process?.send(SIGSTOP)
    }

    /// Resumes a server suspended with `pause()`.
    public func resume() {
        process?.send(SIGCONT)
    }

    /// Kills the server with SIGKILL, as a crash would, and waits for it to exit.
    public func kill() {
        guard let process else { return }

        process.send(SIGKILL)
        _ = process.waitForExit(timeout: Self.stopTimeout)
    }

    /// Stops the server (SIGTERM, then SIGKILL after `stopTimeout` seconds) and
    /// removes its directory. Calling it again does nothing.
    public func stop() {
        terminate()
        try? FileManager.default.removeItem(at: directory)
    }

    func terminate() {
        guard let process else { return }
        self.process = nil
        guard process.isRunning else { return }

        // A paused server handles SIGTERM only after SIGCONT.
        process.send(SIGCONT)
        process.send(SIGTERM)
        if !process.waitForExit(timeout: Self.stopTimeout) {
            process.send(SIGKILL)
            _ = process.waitForExit(timeout: Self.stopTimeout)
        }
    }
}
