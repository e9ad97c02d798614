import Counting
import Foundation
import Observability
import RedisClient
import ServiceKit
import Testing
import TestSupport
@testable import PageviewsAggregator
@testable import PageviewsServer

/// The ACL file in deploy/: replicas and the aggregator work as user
/// `pageviews`, which can do nothing else.
@Suite struct RedisACLTests {
    static let password = "acl-test-password"
    static let adminPassword = "acl-test-admin"

    /// Starts redis-server with deploy/redis-users.acl, its password
    /// placeholder filled in, plus an `admin` user for the checks.
    func startRedis() throws -> (RedisServerFixture, URL) {
        let template = try String(
            contentsOf: ClusterFixture.packageRoot.appendingPathComponent("deploy/redis-users.acl"), encoding: .utf8)
        #expect(template.contains("#PASSWORD_SHA256"))
        let rendered = template.replacingOccurrences(of: "#PASSWORD_SHA256", with: ">\(Self.password)")
            + "user admin on >\(Self.adminPassword) ~* &* +@all\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("users-\(UUID().uuidString).acl")
        try Data(rendered.utf8).write(to: file)
        return (try RedisServerFixture.start(arguments: ["--aclfile", file.path]), file)
    }

    func configuration(_ redis: RedisServerFixture, user: String, password: String) throws -> RedisConfiguration {
        try RedisConfiguration(url: "redis://\(user):\(password)@127.0.0.1:\(redis.port)")
    }

    @Test func pageviewsUserFlushesTicksAndRefreshes() throws {
        let (redis, file) = try startRedis()
        defer {
            redis.stop()
            try? FileManager.default.removeItem(at: file)
        }
        let pageviews = try configuration(redis, user: "pageviews", password: Self.password)
        #expect(try RedisStartupCheck.run(pageviews, passwordSetting: "REDIS_URL") == .ready)

        let admin = try RedisConnection.connect(try configuration(redis, user: "admin", password: Self.adminPassword))
        let now = try #require(try admin.command("TIME").array?.first?.integer)
        let counter = try CounterName("acl")
        let store = RedisCounterStore(
            configuration: pageviews, logger: Logger(label: "test", level: .critical),
            reconnects: MetricsRegistry().counter("reconnects_total", help: "test"))
        var planner = FlushPlanner()
        var buffer = DeltaBuffer()
        buffer.record(counter, second: now, count: 3)
        let plan = planner.plan(draining: &buffer, now: now)
        #expect(try store.apply(plan, replica: ReplicaID(instance: "acl", incarnation: "01"), nowSecond: now) == [.applied])

        var aggregatorConfiguration = AggregatorConfiguration(redis: pageviews)
        aggregatorConfiguration.metricsPort = 0
        let aggregator = AggregatorApplication(
            configuration: aggregatorConfiguration, logger: Logger(label: "test", level: .critical))
        #expect(try aggregator.tickOnce() == 1)

        let reading = try store.readTotals(of: [counter])
        #expect(reading.totals[counter]?.views == 3)
    }

    @Test(arguments: [["FLUSHALL"], ["KEYS", "*"], ["GET", "other:key"], ["CONFIG", "GET", "maxmemory"], ["DEL", "pv:counters"]])
    func pageviewsUserIsRefusedOtherCommands(_ command: [String]) throws {
        let (redis, file) = try startRedis()
        defer {
            redis.stop()
            try? FileManager.default.removeItem(at: file)
        }
        let connection = try RedisConnection.connect(try configuration(redis, user: "pageviews", password: Self.password))

        let reply = try connection.command(command.map { RedisArgument($0) })
        let message = try #require(reply.errorMessage, "\(command) was allowed")
        #expect(message.hasPrefix("NOPERM"))
    }

    @Test func defaultUserIsOff() throws {
        let (redis, file) = try startRedis()
        defer {
            redis.stop()
            try? FileManager.default.removeItem(at: file)
        }
        let connection = try RedisConnection.connect(try RedisConfiguration(url: redis.url))

        let reply = try connection.command("PING")
        #expect(reply.errorMessage?.hasPrefix("NOAUTH") == true)
    }

    /// Every key type pageviews writes expires by itself, so an idle counter leaves nothing behind.
    @Test func everyWrittenKeyHasExpiry() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let redisConfiguration = try RedisConfiguration(url: redis.url)
        let admin = try RedisConnection.connect(redisConfiguration)
        let now = try #require(try admin.command("TIME").array?.first?.integer)
        let store = RedisCounterStore(
            configuration: redisConfiguration, logger: Logger(label: "test", level: .critical),
            reconnects: MetricsRegistry().counter("reconnects_total", help: "test"))
        var planner = FlushPlanner()
        var buffer = DeltaBuffer()
        for name in ["ttl-a", "ttl-b"] {
            buffer.record(try CounterName(name), second: now - 1, count: 2)
            buffer.record(try CounterName(name), second: now, count: 1)
        }
        _ = try store.apply(planner.plan(draining: &buffer, now: now), replica: ReplicaID(instance: "t", incarnation: "02"), nowSecond: now)
        var aggregatorConfiguration = AggregatorConfiguration(redis: redisConfiguration)
        aggregatorConfiguration.metricsPort = 0
        _ = try AggregatorApplication(configuration: aggregatorConfiguration, logger: Logger(label: "test", level: .critical)).tickOnce()

        let keys = try #require(try admin.command("KEYS", "*").array?.compactMap(\.string))
        let kinds = Set(keys.map { key in key.hasPrefix("pv:{") ? String(key.split(separator: ":")[2]) : key })
        #expect(kinds == ["s", "seq", "total", "pv:counters"], "keys: \(keys)")
        for key in keys {
            let ttl = try #require(try admin.command("TTL", RedisArgument(key)).integer)
            #expect(ttl > 0, "\(key) has TTL \(ttl)")
            #expect(ttl <= Window.sequenceTTLSeconds, "\(key) has TTL \(ttl)")
        }
    }
}
