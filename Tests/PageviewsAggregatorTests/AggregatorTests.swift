import Counting
import Foundation
import Observability
import RedisClient
import Testing
import TestSupport
@testable import PageviewsAggregator

/// Aggregator ticks against a real redis-server.
@Suite struct AggregatorTests {
    func makeApplication(_ redis: RedisServerFixture) throws -> AggregatorApplication {
        var configuration = AggregatorConfiguration(redis: try RedisConfiguration(url: redis.url))
        configuration.metricsPort = 0
        configuration.metricsHost = "127.0.0.1"
        return AggregatorApplication(configuration: configuration, logger: Logger(label: "test", level: .critical))
    }

    func redisNowSecond(_ connection: RedisConnection) throws -> Int64 {
        let time = try connection.command("TIME")
        return try #require(time.array?.first?.integer)
    }

    func storedTotal(_ connection: RedisConnection, _ counter: CounterName) throws -> CounterTotal? {
        let value = try connection.command("GET", RedisArgument(KeySchema.total(counter)))
        return value.string.flatMap { CounterTotal(counter: counter, encoded: $0) }
    }

    @Test func tickSumsOnlyTheWindow() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let connection = try RedisConnection.connect(try RedisConfiguration(url: redis.url))
        let counter = try CounterName("window")
        let now = try redisNowSecond(connection)

        // Inside the window: now and now-59. Outside: now-60 and now+5 (a fast replica clock).
        for (second, count) in [(now, 3), (now - 59, 4), (now - 60, 100), (now + 5, 1_000)] {
            try connection.command("SET", RedisArgument(KeySchema.bucket(counter, second: Int64(second))), RedisArgument(count))
        }
        try connection.command("ZADD", RedisArgument(KeySchema.activeCounters), RedisArgument(now), "window")

        let application = try makeApplication(redis)
        #expect(try application.tickOnce() == 1)
        let total = try #require(try storedTotal(connection, counter))
        // The tick may straddle a second boundary, which moves the window by one.
        if total.lastSecond == now {
            #expect(total.views == 7)
            #expect(total.series.first == 4)
            #expect(total.series.last == 3)
        } else {
            #expect(total.lastSecond == now + 1)
            #expect(total.views == 3)
        }
        let ttl = try #require(try connection.command("TTL", RedisArgument(KeySchema.total(counter))).integer)
        #expect(ttl > 0)
    }

    @Test func twoAggregatorsWriteTheSameTotal() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let connection = try RedisConnection.connect(try RedisConfiguration(url: redis.url))
        let counter = try CounterName("pair")
        let now = try redisNowSecond(connection)
        for offset in Int64(1)...30 {
            try connection.command("SET", RedisArgument(KeySchema.bucket(counter, second: now - offset)), RedisArgument(offset))
        }
        try connection.command("ZADD", RedisArgument(KeySchema.activeCounters), RedisArgument(now), "pair")

        _ = try makeApplication(redis).tickOnce()
        let first = try #require(try storedTotal(connection, counter))
        _ = try makeApplication(redis).tickOnce()
        let second = try #require(try storedTotal(connection, counter))
        // Buckets of past seconds do not change, so both agree while their windows cover them all.
        #expect(first.views == 465)
        #expect(second.views == 465)
    }

    @Test func olderTotalNeverReplacesNewer() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let connection = try RedisConnection.connect(try RedisConfiguration(url: redis.url))
        let counter = try CounterName("newer")
        let now = try redisNowSecond(connection)
        try connection.command("SET", RedisArgument(KeySchema.bucket(counter, second: now - 1)), "5")
        try connection.command("ZADD", RedisArgument(KeySchema.activeCounters), RedisArgument(now), "newer")
        let application = try makeApplication(redis)

        // A total another aggregator computed 3 s later (its tick ran after this one's) stays.
        let newer = CounterTotal(counter: counter, asOfMillis: (now + 3) * 1000, series: Array(repeating: 1, count: 60))
        try connection.command("SET", RedisArgument(KeySchema.total(counter)), RedisArgument(newer.encoded()))
        _ = try application.tickOnce()
        #expect(try storedTotal(connection, counter) == newer)

        // One from far in the future (Redis's clock stepped back) is replaced, and so is an older one.
        for offset: Int64 in [600, -10] {
            let other = CounterTotal(
                counter: counter, asOfMillis: (now + offset) * 1000, series: Array(repeating: 1, count: 60))
            try connection.command("SET", RedisArgument(KeySchema.total(counter)), RedisArgument(other.encoded()))
            _ = try application.tickOnce()
            #expect(try storedTotal(connection, counter)?.views == 5, "stored total \(offset) s from now")
        }
    }

    @Test func idleAndInvalidCountersAreSkipped() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let connection = try RedisConnection.connect(try RedisConfiguration(url: redis.url))
        let now = try redisNowSecond(connection)
        try connection.command("ZADD", RedisArgument(KeySchema.activeCounters), RedisArgument(now - 1_000), "idle")
        try connection.command("ZADD", RedisArgument(KeySchema.activeCounters), RedisArgument(now), "Not Valid")
        try connection.command("ZADD", RedisArgument(KeySchema.activeCounters), RedisArgument(now), "fresh")

        #expect(try makeApplication(redis).tickOnce() == 1)
        let members = try connection.command("ZRANGE", RedisArgument(KeySchema.activeCounters), "0", "-1")
        #expect(members.array?.compactMap(\.string).sorted() == ["Not Valid", "fresh"])
        #expect(try storedTotal(connection, try CounterName("fresh"))?.views == 0)
    }

    @Test func tickFailsWhileRedisIsDown() throws {
        let redis = try RedisServerFixture.start()
        let application = try makeApplication(redis)
        redis.stop()
        #expect(throws: (any Error).self) { try application.tickOnce() }
    }

    @Test func missingRedisURLIsAClearError() throws {
        let parsed = try AggregatorConfiguration.parser.parse(arguments: [], environment: [:])
        guard case .run(let values) = parsed else {
            Issue.record("expected run")
            return
        }
        let error = #expect(throws: (any Error).self) { try AggregatorConfiguration(values: values) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("REDIS_URL"))
    }
}
