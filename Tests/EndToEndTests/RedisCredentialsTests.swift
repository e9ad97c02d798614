import Foundation
import Testing
import TestSupport

/// The built executables against a Redis that requires a password: a wrong
/// password stops the start with a clear message that does not show it.
@Suite struct RedisCredentialsTests {
    static let password = "right-password"

    struct Run {
        let exitStatus: Int32?
        let output: String
    }

    /// Runs `program` with `environment` until it exits or 20 s pass, and returns its status and output.
    func run(_ program: String, environment: [String: String]) throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("credentials-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("output.log")

        let process = try ChildProcess(
            executable: ClusterFixture.binaryDirectory.appendingPathComponent(program).path, arguments: [],
            environment: environment, outputPath: log.path)
        if !process.waitForExit(timeout: 20) {
            process.send(SIGKILL)
            _ = process.waitForExit(timeout: 5)
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let status = process.exitStatus.map { ($0 >> 8) & 0xff }
        return Run(exitStatus: status, output: output)
    }

    func writePasswordFile(_ password: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("password-\(UUID().uuidString)")
        try Data("\(password)\n".utf8).write(to: file)
        return file
    }

    @Test(arguments: ["pageviews-server", "pageviews-aggregator"])
    func wrongPasswordFileExitsWithStatus2(_ program: String) throws {
        let redis = try RedisServerFixture.start(arguments: ["--requirepass", Self.password])
        defer { redis.stop() }
        let wrong = "wrong-\(UUID().uuidString)"
        let passwordFile = try writePasswordFile(wrong)
        defer { try? FileManager.default.removeItem(at: passwordFile) }

        let result = try run(program, environment: [
            "REDIS_URL": redis.url, "REDIS_PASSWORD_FILE": passwordFile.path, "PORT": "0", "METRICS_PORT": "0",
            "HOST": "127.0.0.1", "METRICS_HOST": "127.0.0.1",
        ])
        #expect(result.exitStatus == 2, "output: \(result.output)")
        #expect(result.output.hasPrefix("\(program): Redis at redis://:***@127.0.0.1:\(redis.port)/0 rejected the password from REDIS_PASSWORD_FILE"), "output: \(result.output)")
        #expect(result.output.contains("WRONGPASS"))
        #expect(!result.output.contains(wrong))
    }

    @Test(arguments: ["pageviews-server", "pageviews-aggregator"])
    func wrongPasswordInURLExitsWithStatus2(_ program: String) throws {
        let redis = try RedisServerFixture.start(arguments: ["--requirepass", Self.password])
        defer { redis.stop() }
        let wrong = "url-\(UUID().uuidString)"

        let result = try run(program, environment: [
            "REDIS_URL": "redis://default:\(wrong)@127.0.0.1:\(redis.port)", "PORT": "0", "METRICS_PORT": "0",
            "HOST": "127.0.0.1", "METRICS_HOST": "127.0.0.1",
        ])
        #expect(result.exitStatus == 2, "output: \(result.output)")
        #expect(result.output.contains("rejected the password from REDIS_URL (--redis-url)"), "output: \(result.output)")
        #expect(!result.output.contains(wrong))
    }

    @Test func unreachableRedisOnlyWarnsAtStart() throws {
        let redisPort = try FreePort.find()
        let port = try FreePort.find()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("unreachable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("server.log")

        let process = try ChildProcess(
            executable: ClusterFixture.binaryDirectory.appendingPathComponent("pageviews-server").path, arguments: [],
            environment: ["REDIS_URL": "redis://127.0.0.1:\(redisPort)", "PORT": String(port), "HOST": "127.0.0.1", "DRAIN_DELAY_MS": "0"],
            outputPath: log.path)
        defer {
            process.send(SIGTERM)
            if !process.waitForExit(timeout: 20) {
                process.send(SIGKILL)
                _ = process.waitForExit(timeout: 5)
            }
        }
        var status = 0
        for _ in 0..<200 where status != 200 && process.isRunning {
            status = (try? HTTPTestClient(host: "127.0.0.1", port: port).send(method: "GET", path: "/healthz").status) ?? 0
            Thread.sleep(forTimeInterval: 0.05)
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(status == 200, "output: \(output)")
        #expect(output.contains("level=warning label=pageviews.server msg=\"redis unreachable at start-up"), "output: \(output)")
    }
}
