import Counting
import Observability
import RedisClient
import Testing
import TestSupport
@testable import PageviewsServer

/// The ways the Redis store avoids commands it does not need, against a real redis-server.
@Suite struct RedisCommandBudgetTests {
    let replica = ReplicaID(instance: "server-1", incarnation: "00aa")

    func makeStore(_ redis: RedisServerFixture) throws -> RedisCounterStore {
        RedisCounterStore(
            configuration: try RedisConfiguration(url: redis.url), logger: Logger(label: "test", level: .critical),
            reconnects: MetricsRegistry().counter("reconnects", help: "test"))
    }

    /// Flushes one view of `counter` in `second` through `planner` and returns the outcomes.
    func flushOne(
        _ counter: CounterName, second: Int64, planner: inout FlushPlanner, store: RedisCounterStore
    ) throws -> [ApplyOutcome] {
        var buffer = DeltaBuffer()
        buffer.record(counter, second: second)
        let plan = planner.plan(draining: &buffer, now: second)
        let outcomes = try store.apply(plan, replica: replica, nowSecond: second)
        _ = planner.complete(plan, outcomes: outcomes)
        return outcomes
    }

    @Test func activeMarkRefreshedOncePerInterval() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let store = try makeStore(redis)
        let connection = try RedisConnection.connect(try RedisConfiguration(url: redis.url))
        let counter = try CounterName("marks")
        let active = RedisArgument(KeySchema.activeCounters)
        var planner = FlushPlanner()

        _ = try flushOne(counter, second: 1_000, planner: &planner, store: store)
        #expect(try connection.command("ZSCORE", active, "marks").integer == 1_000)

        try connection.command("DEL", active)
        _ = try flushOne(counter, second: 1_000 + RedisCounterStore.activeMarkSeconds - 1, planner: &planner, store: store)
        #expect(try connection.command("ZSCORE", active, "marks").isNull)

        let later = 1_000 + RedisCounterStore.activeMarkSeconds
        _ = try flushOne(counter, second: later, planner: &planner, store: store)
        #expect(try connection.command("ZSCORE", active, "marks").integer == later)
    }

    @Test func lostDataMarksCountersAgain() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let store = try makeStore(redis)
        let connection = try RedisConnection.connect(try RedisConfiguration(url: redis.url))
        let counter = try CounterName("lost")
        var planner = FlushPlanner()

        _ = try flushOne(counter, second: 2_000, planner: &planner, store: store)
        try connection.command("FLUSHALL")
        let outcomes = try flushOne(counter, second: 2_001, planner: &planner, store: store)
        #expect(outcomes == [.behind(stored: 0)])
        // The replay round marks the counter again although its last mark is recent.
        var empty = DeltaBuffer()
        let replay = planner.plan(draining: &empty, now: 2_001)
        _ = planner.complete(replay, outcomes: try store.apply(replay, replica: replica, nowSecond: 2_001))
        #expect(try connection.command("ZSCORE", RedisArgument(KeySchema.activeCounters), "lost").integer == 2_001)
    }

    @Test func bucketExpirySetOnlyWhenCreated() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let store = try makeStore(redis)
        let connection = try RedisConnection.connect(try RedisConfiguration(url: redis.url))
        let counter = try CounterName("expiry-once")
        let bucket = RedisArgument(KeySchema.bucket(counter, second: 3_000))
        var planner = FlushPlanner()

        _ = try flushOne(counter, second: 3_000, planner: &planner, store: store)
        let created = try #require(try connection.command("TTL", bucket).integer)
        #expect(created > 0)
        #expect(created <= Window.bucketTTLSeconds)

        try connection.command("EXPIRE", bucket, "1000")
        _ = try flushOne(counter, second: 3_000, planner: &planner, store: store)
        #expect(try connection.command("GET", bucket).integer == 2)
        #expect(try #require(try connection.command("TTL", bucket).integer) > Window.bucketTTLSeconds)
    }

    @Test func consecutiveReadsShareOneTimeCommand() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let store = try makeStore(redis)
        let connection = try RedisConnection.connect(try RedisConfiguration(url: redis.url))
        let counter = try CounterName("clock")

        let first = try store.readTotals(of: [counter])
        let second = try store.readTotals(of: [counter])
        let stats = try #require(try connection.command("INFO", "commandstats").string)
        let timeCalls = stats.split(separator: "\r\n").filter { $0.hasPrefix("cmdstat_time:calls=") }
        #expect(timeCalls.count == 1)
        #expect(timeCalls.first?.hasPrefix("cmdstat_time:calls=1,") == true)
        #expect(second.storeTimeMillis >= first.storeTimeMillis)
    }
}
