import Foundation
import RedisClient
import ServiceKit
import Testing
import TestSupport

/// The start-up check against real redis-server processes.
@Suite struct RedisStartupCheckTests {
    static let password = "startup-check-password"

    @Test func correctPasswordIsReady() throws {
        let redis = try RedisServerFixture.start(arguments: ["--requirepass", Self.password])
        defer { redis.stop() }
        let configuration = try RedisConfiguration(url: "redis://:\(Self.password)@127.0.0.1:\(redis.port)")

        #expect(try RedisStartupCheck.run(configuration, passwordSetting: "REDIS_URL (--redis-url)") == .ready)
    }

    @Test func wrongPasswordNamesSettingNotPassword() throws {
        let redis = try RedisServerFixture.start(arguments: ["--requirepass", Self.password])
        defer { redis.stop() }
        let wrong = "wrong-\(UUID().uuidString)"
        let configuration = try RedisConfiguration(url: "redis://:\(wrong)@127.0.0.1:\(redis.port)")

        let error = try #require(throws: ConfigurationError.self) {
            try RedisStartupCheck.run(configuration, passwordSetting: "REDIS_PASSWORD_FILE (--redis-password-file)")
        }
        #expect(error.message.contains("rejected the password from REDIS_PASSWORD_FILE (--redis-password-file)"))
        #expect(error.message.contains("WRONGPASS"))
        #expect(!error.message.contains(wrong))
        #expect(!error.message.contains(Self.password))
    }

    @Test func missingPasswordIsReported() throws {
        let redis = try RedisServerFixture.start(arguments: ["--requirepass", Self.password])
        defer { redis.stop() }

        let error = try #require(throws: ConfigurationError.self) {
            try RedisStartupCheck.run(try RedisConfiguration(url: redis.url), passwordSetting: "REDIS_URL")
        }
        #expect(error.message.contains("requires a password (NOAUTH)"))
        #expect(error.message.contains("REDIS_PASSWORD_FILE"))
    }

    @Test func rejectedDatabaseIsReported() throws {
        let redis = try RedisServerFixture.start(arguments: ["--databases", "2"])
        defer { redis.stop() }

        let error = try #require(throws: ConfigurationError.self) {
            try RedisStartupCheck.run(try RedisConfiguration(url: redis.url + "/5"), passwordSetting: "REDIS_URL")
        }
        #expect(error.message.contains("database number in REDIS_URL"))
    }

    @Test func unreachableRedisIsOnlyReported() throws {
        let port = try FreePort.find()
        let configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(port)")

        let outcome = try RedisStartupCheck.run(configuration, passwordSetting: "REDIS_URL")
        guard case .unreachable(let reason) = outcome else {
            Issue.record("expected unreachable, got \(outcome)")
            return
        }
        #expect(reason.contains("connectionFailed"))
    }
}
