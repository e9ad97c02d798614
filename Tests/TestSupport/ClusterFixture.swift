import Foundation

/// A local pageviews cluster for end-to-end tests: a private redis-server,
/// the aggregator, N replicas and, optionally, HAProxy with the demo's
/// configuration from deploy/haproxy.cfg. All run as real processes built by
/// `swift build`; each writes its output to a log file in `directory`.
///
/// Not thread-safe: one test owns one cluster and calls `stop()` at the end.
public final class ClusterFixture {
    public let redis: RedisServerFixture
    public let directory: URL
    public private(set) var replicaPorts: [Int] = []
    public private(set) var replicas: [ChildProcess?] = []
    /// Aggregators in start order; a stopped one is nil.
    public internal(set) var aggregators: [ChildProcess?] = []
    public internal(set) var aggregatorMetricsPorts: [Int] = []
    public private(set) var haproxy: ChildProcess?
    public private(set) var balancerPort = 0
    /// The proxy between the replicas and Redis when `ClusterOptions.throughProxy` is set.
    public let proxy: FaultProxy?
    let options: ClusterOptions

    /// Seconds to wait for a started process to respond.
    static let readyTimeout: TimeInterval = 20

    /// Starts the cluster; `serverEnvironment` adds settings to every replica.
    public static func start(
        replicas count: Int = 3, withBalancer: Bool = true, serverEnvironment: [String: String] = [:]
    ) throws -> ClusterFixture {
        var options = ClusterOptions()
        options.replicas = count
        options.withBalancer = withBalancer
        options.serverEnvironment = serverEnvironment
        return try start(options)
    }

    /// Starts redis-server, the aggregators, the replicas and, if asked, the proxy and HAProxy.
    public static func start(_ options: ClusterOptions) throws -> ClusterFixture {
        let cluster = try ClusterFixture(options: options)
        do {
            for offset in options.aggregatorClockOffsets {
                try cluster.startAggregator(clockOffset: offset)
            }
            for index in 0..<options.replicas {
                try cluster.startReplica(index)
            }
            if options.withBalancer {
                try cluster.startBalancer()
            }
        } catch {
            let logs = cluster.logTails()
            cluster.stop()
            throw FixtureError("\(error)\n\(logs)")
        }
        return cluster
    }

    private init(options: ClusterOptions) throws {
        self.options = options
        redis = try RedisServerFixture.start(arguments: options.redisArguments)
        proxy = options.throughProxy ? try FaultProxy(upstreamPort: redis.port, seed: options.proxySeed) : nil
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        stop()
    }

    /// The folder with `pageviews-server` and `pageviews-aggregator`: `PAGEVIEWS_BIN_DIR`,
    /// or `.build/debug` of this package.
    public static var binaryDirectory: URL {
        if let configured = ProcessInfo.processInfo.environment["PAGEVIEWS_BIN_DIR"] {
            return URL(fileURLWithPath: configured)
        }
        return packageRoot.appendingPathComponent(".build/debug")
    }

    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Starts replica `index` (named `server-<index + 1>`), or restarts it on its old port.
    public func startReplica(_ index: Int) throws {
        let port = index < replicaPorts.count ? replicaPorts[index] : try FreePort.find()
        // HAProxy (deploy/haproxy.cfg) takes a draining replica out of rotation
        // about 750 ms after /readyz starts failing: 500 ms to the next check,
        // 250 ms to the second failure, plus the checks' round trips. 1500 ms
        // leaves room for a busy machine.
        var environment = [
            "PORT": String(port), "HOST": "127.0.0.1", "INSTANCE_NAME": "server-\(index + 1)",
            "REDIS_URL": proxy?.redisURL ?? redis.url, "EVENT_LOOPS": "2", "DRAIN_DELAY_MS": "1500",
        ]
        environment.merge(options.serverEnvironment) { _, new in new }
        if let offset = options.replicaClockOffsets[index] {
            environment.merge(try FakeClock.environment(offset: offset)) { _, new in new }
        }
        let process = try ChildProcess(
            executable: try binary("pageviews-server").path, arguments: [], environment: environment,
            outputPath: directory.appendingPathComponent("server-\(index + 1).log").path)
        if index < replicaPorts.count {
            replicas[index] = process
        } else {
            replicaPorts.append(port)
            replicas.append(process)
        }
        try waitUntilAnswering(port: port, path: "/readyz", process: process, name: "server-\(index + 1)")
    }

    /// Sends SIGTERM to replica `index` and waits for it to drain and exit.
    /// Returns its exit status.
    @discardableResult
    public func stopReplica(_ index: Int, signal: Int32 = SIGTERM) -> Int32? {
        guard let process = replicas[index] else { return nil }
        process.send(signal)
        if !process.waitForExit(timeout: 30) {
            process.send(SIGKILL)
            _ = process.waitForExit(timeout: 5)
        }
        replicas[index] = nil
        return process.exitStatus
    }

    public func stop() {
        haproxy.map(Self.terminate)
        haproxy = nil
        for index in replicas.indices {
            replicas[index].map(Self.terminate)
            replicas[index] = nil
        }
        for index in aggregators.indices {
            aggregators[index].map(Self.terminate)
            aggregators[index] = nil
        }
        proxy?.stop()
        redis.stop()
    }

    /// Returns the last lines of every process's log, for failure messages.
    public func logTails(lines: Int = 15) -> String {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.sorted().map { name in
            let text = (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
            return "--- \(name)\n" + text.split(separator: "\n").suffix(lines).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    private func startBalancer() throws {
        balancerPort = try FreePort.find()
        var environment = ["DEMO_PORT": String(balancerPort)]
        for (index, port) in replicaPorts.enumerated() {
            environment["SERVER\(index + 1)_PORT"] = String(port)
        }
        let configuration = Self.packageRoot.appendingPathComponent("deploy/haproxy.cfg").path
        let process = try ChildProcess(
            executable: "haproxy", arguments: ["-W", "-db", "-f", configuration], environment: environment,
            outputPath: directory.appendingPathComponent("haproxy.log").path)
        haproxy = process
        try waitUntilAnswering(port: balancerPort, path: "/readyz", process: process, name: "haproxy")
    }

    func binary(_ name: String) throws -> URL {
        let url = Self.binaryDirectory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw FixtureError("\(name) not found in \(Self.binaryDirectory.path): run swift build first, or set PAGEVIEWS_BIN_DIR")
        }
        return url
    }

    func waitUntilAnswering(port: Int, path: String, process: ChildProcess, name: String) throws {
        let deadline = Date().addingTimeInterval(Self.readyTimeout)
        while Date() < deadline {
            guard process.isRunning else {
                throw FixtureError("\(name) exited with status \(process.exitStatus ?? -1)")
            }
            if let response = try? HTTPTestClient(host: "127.0.0.1", port: port).send(method: "GET", path: path),
                response.status == 200
            {
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw FixtureError("\(name) did not answer GET \(path) on port \(port) within \(Self.readyTimeout) s")
    }

    static func terminate(_ process: ChildProcess) {
        process.send(SIGTERM)
        if !process.waitForExit(timeout: 20) {
            process.send(SIGKILL)
            _ = process.waitForExit(timeout: 5)
        }
    }
}
