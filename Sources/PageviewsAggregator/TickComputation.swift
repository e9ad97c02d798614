import Counting
import RedisClient

/// The Redis commands of one aggregator tick, and the totals from their replies.
///
/// Pure functions of Redis time and replies, so two aggregators that see the
/// same buckets at the same Redis time write the same totals.
enum TickComputation {
    /// Totals outlive a tick by far, so replicas keep serving the last one,
    /// marked stale, while no aggregator runs; they vanish with idle counters.
    static let totalTTLSeconds = Window.idleAfterSeconds

    /// Forgets counters idle for longer than `Window.idleAfterSeconds`, then lists the rest.
    static func activeCounterCommands(nowSecond: Int64) -> [[RedisArgument]] {
        let cutoff = String(nowSecond - Window.idleAfterSeconds)
        return [
            ["ZREMRANGEBYSCORE", RedisArgument(KeySchema.activeCounters), "-inf", RedisArgument("(" + cutoff)],
            ["ZRANGE", RedisArgument(KeySchema.activeCounters), "0", "-1"],
        ]
    }

    /// One MGET of the window's 60 bucket keys; its keys share the counter's hash tag.
    static func bucketRead(_ counter: CounterName, nowSecond: Int64) -> [RedisArgument] {
        var command: [RedisArgument] = ["MGET"]
        for second in Window.seconds(endingAt: nowSecond) {
            command.append(RedisArgument(KeySchema.bucket(counter, second: second)))
        }
        return command
    }

    /// The total from an MGET reply; nil when the reply is not 60 values.
    static func total(_ counter: CounterName, reply: RedisValue, asOfMillis: Int64) -> CounterTotal? {
        guard let values = reply.array, values.count == Int(Window.length) else { return nil }
        let counts = values.map { $0.isNull ? nil : $0.integer }
        return CounterTotal.summing(counter, bucketCounts: counts, asOfMillis: asOfMillis)
    }

    static func write(_ total: CounterTotal) -> [RedisArgument] {
        ["SET", RedisArgument(KeySchema.total(total.counter)), RedisArgument(total.encoded()),
         "EX", RedisArgument(totalTTLSeconds)]
    }
}
