import Counting
import Foundation
import Observability
import RedisClient
import Testing
import TestSupport
@testable import PageviewsServer

/// The flush script and totals reads against a real redis-server.
@Suite struct RedisCounterStoreTests {
    let replica = ReplicaID(instance: "server-1", incarnation: "00ff")

    func makeStore(_ redis: RedisServerFixture) throws -> RedisCounterStore {
        let configuration = try RedisConfiguration(url: redis.url)
        return RedisCounterStore(
            configuration: configuration, logger: Logger(label: "test", level: .critical),
            reconnects: MetricsRegistry().counter("reconnects", help: "test"))
    }

    func makeConnection(_ redis: RedisServerFixture) throws -> RedisConnection {
        try RedisConnection.connect(try RedisConfiguration(url: redis.url))
    }

    @Test func appliedBatchWritesBucketsWithExpiry() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let store = try makeStore(redis)
        let counter = try CounterName("expiry")
        var planner = FlushPlanner()
        var buffer = DeltaBuffer()
        buffer.record(counter, second: 1_000, count: 3)
        buffer.record(counter, second: 1_001, count: 4)

        let plan = planner.plan(draining: &buffer, now: 1_001)
        let outcomes = try store.apply(plan, replica: replica, nowSecond: 1_001)
        #expect(outcomes == [.applied])

        let connection = try makeConnection(redis)
        for second in [1_000, 1_001] {
            let key = RedisArgument(KeySchema.bucket(counter, second: Int64(second)))
            let ttl = try #require(try connection.command("TTL", key).integer)
            #expect(ttl > 0, "bucket \(second) has TTL \(ttl)")
            #expect(ttl <= Window.bucketTTLSeconds, "bucket \(second) has TTL \(ttl)")
        }
        let sequenceKey = RedisArgument(KeySchema.sequence(counter, replica: replica))
        #expect(try connection.command("GET", sequenceKey).integer == 1)
        let sequenceTTL = try #require(try connection.command("TTL", sequenceKey).integer)
        #expect(sequenceTTL > Window.length)
        #expect(sequenceTTL <= Window.sequenceTTLSeconds)
        #expect(try connection.command("GET", RedisArgument(KeySchema.bucket(counter, second: 1_001))).integer == 4)
        let score = try connection.command("ZSCORE", RedisArgument(KeySchema.activeCounters), "expiry")
        #expect(score.integer == 1_001)
    }

    @Test func retriedBatchIsAppliedOnce() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let store = try makeStore(redis)
        let counter = try CounterName("retry")
        var planner = FlushPlanner()
        var buffer = DeltaBuffer()
        buffer.record(counter, second: 2_000, count: 5)
        let plan = planner.plan(draining: &buffer, now: 2_000)

        #expect(try store.apply(plan, replica: replica, nowSecond: 2_000) == [.applied])
        // The planner never heard the reply; the same plan goes out again.
        let retry = planner.plan(draining: &buffer, now: 2_000)
        #expect(try store.apply(retry, replica: replica, nowSecond: 2_000) == [.duplicate])

        let connection = try makeConnection(redis)
        #expect(try connection.command("GET", RedisArgument(KeySchema.bucket(counter, second: 2_000))).integer == 5)
    }

    @Test func emptiedRedisIsDetectedAndReplayed() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let store = try makeStore(redis)
        let counter = try CounterName("replay")
        var planner = FlushPlanner()
        var buffer = DeltaBuffer()
        for second in Int64(3_000)...3_002 {
            buffer.record(counter, second: second, count: 2)
            let plan = planner.plan(draining: &buffer, now: second)
            _ = planner.complete(plan, outcomes: try store.apply(plan, replica: replica, nowSecond: second))
        }

        try makeConnection(redis).command("FLUSHALL")
        buffer.record(counter, second: 3_003, count: 1)
        let plan = planner.plan(draining: &buffer, now: 3_003)
        let outcomes = try store.apply(plan, replica: replica, nowSecond: 3_003)
        #expect(outcomes == [.behind(stored: 0)])
        _ = planner.complete(plan, outcomes: outcomes)
        let replay = planner.plan(draining: &buffer, now: 3_003)
        _ = planner.complete(replay, outcomes: try store.apply(replay, replica: replica, nowSecond: 3_003))

        let connection = try makeConnection(redis)
        var total: Int64 = 0
        for second in Int64(3_000)...3_003 {
            total += try connection.command("GET", RedisArgument(KeySchema.bucket(counter, second: second))).integer ?? 0
        }
        #expect(total == 7)
        #expect(!planner.hasWork)
    }

    @Test func probeDetectsEmptiedRedis() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let store = try makeStore(redis)
        let counter = try CounterName("probe")
        var planner = FlushPlanner()
        var buffer = DeltaBuffer()
        buffer.record(counter, second: 4_000, count: 2)
        let plan = planner.plan(draining: &buffer, now: 4_000)
        _ = planner.complete(plan, outcomes: try store.apply(plan, replica: replica, nowSecond: 4_000))
        planner.verifyStore()
        let probe = planner.plan(draining: &buffer, now: 4_000)
        #expect(probe.requests == [.probe(counter, acknowledged: 1)])

        #expect(try store.apply(probe, replica: replica, nowSecond: 4_000) == [.duplicate])
        try makeConnection(redis).command("FLUSHALL")
        #expect(try store.apply(probe, replica: replica, nowSecond: 4_000) == [.behind(stored: 0)])
        let sequenceKey = RedisArgument(KeySchema.sequence(counter, replica: replica))
        #expect(try makeConnection(redis).command("EXISTS", sequenceKey) == .integer(0))
    }

    @Test func readTotalsDecodesAggregatorValues() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let store = try makeStore(redis)
        let counter = try CounterName("read")
        let missing = try CounterName("missing")
        let total = CounterTotal(counter: counter, asOfMillis: 5_000, series: Array(repeating: 2, count: 60))
        try makeConnection(redis).command("SET", RedisArgument(KeySchema.total(counter)), RedisArgument(total.encoded()))

        let reading = try store.readTotals(of: [counter, missing])
        #expect(reading.totals[counter] == total)
        #expect(reading.totals[missing] == nil)
        #expect(reading.storeTimeMillis > 1_700_000_000_000)
    }

    @Test func unreachableRedisThrows() throws {
        let port = try FreePort.find()
        let configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(port)")
        let store = RedisCounterStore(
            configuration: configuration, logger: Logger(label: "test", level: .critical),
            reconnects: MetricsRegistry().counter("reconnects", help: "test"))
        #expect(throws: RedisError.self) { try store.readTotals(of: []) }
    }
}
