import Foundation

extension RedisServerFixture {
    /// Starts the process on `port` and waits until it replies to PING.
    func launch() throws {
        let process = try ChildProcess(executable: executableURL.path, arguments: serverArguments)
        self.process = process

        let deadline = Date().addingTimeInterval(Self.startTimeout)
        while Date() < deadline {
            guard process.isRunning else {
                throw FixtureError(
                    "redis-server exited with status \(process.exitStatus ?? -1) on port \(port). "
                        + "Log tail:\n\(logTail())")
            }
            if RedisProbe.replies(port: port) {
                return
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let tail = logTail()
        terminate()
        throw FixtureError(
            "redis-server on port \(port) did not reply to PING within \(Self.startTimeout) s. Log tail:\n\(tail)")
    }

    var logFile: URL {
        directory.appendingPathComponent("redis.log")
    }

    private var serverArguments: [String] {
        [
            "--bind", host, "--port", String(port), "--save", "", "--appendonly", "no",
            "--dir", directory.path, "--daemonize", "no", "--logfile", logFile.path,
        ] + extraArguments
    }

    private func logTail() -> String {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else {
            return "(no log file)"
        }
        return text.split(separator: "\n").suffix(10).joined(separator: "\n")
    }

    /// Finds `redis-server` through `REDIS_SERVER`, then `PATH`, then /usr/bin.
    static func findExecutable() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let configured = environment["REDIS_SERVER"] {
            candidates.append(configured)
        }
        let path = environment["PATH"] ?? ""
        candidates += path.split(separator: ":").map { "\($0)/redis-server" }
        candidates += ["/usr/bin/redis-server", "/usr/local/bin/redis-server"]

        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw FixtureError(
                "redis-server was not found in REDIS_SERVER, PATH or /usr/bin. "
                    + "Install it (Debian: apt-get install redis-server) to run the Redis tests")
        }
        return URL(fileURLWithPath: found)
    }
}
