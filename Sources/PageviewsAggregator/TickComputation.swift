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

    /// Seconds between removals of idle counters from the active set. Idle
    /// counters' totals are zero and expire on their own, so removing them
    /// a few seconds late changes no total and saves a command per tick.
    static let pruneIntervalSeconds: Int64 = 10

    /// Lists the active counters; with `prune`, first removes counters idle
    /// for longer than `Window.idleAfterSeconds`. The listing is the last command.
    static func activeCounterCommands(nowSecond: Int64, prune: Bool = true) -> [[RedisArgument]] {
        let cutoff = String(nowSecond - Window.idleAfterSeconds)
        let list: [RedisArgument] = ["ZRANGE", RedisArgument(KeySchema.activeCounters), "0", "-1"]
        guard prune else { return [list] }
        return [
            ["ZREMRANGEBYSCORE", RedisArgument(KeySchema.activeCounters), "-inf", RedisArgument("(" + cutoff)],
            list,
        ]
    }

    /// Builds one MGET of the window's 60 bucket keys; its keys share the counter's hash tag.
    static func bucketRead(_ counter: CounterName, nowSecond: Int64) -> [RedisArgument] {
        var command: [RedisArgument] = ["MGET"]
        for second in Window.seconds(endingAt: nowSecond) {
            command.append(RedisArgument(KeySchema.bucket(counter, second: second)))
        }
        return command
    }

    /// Returns the total from an MGET reply; nil when the reply is not 60 values.
    static func total(_ counter: CounterName, reply: RedisValue, asOfMillis: Int64) -> CounterTotal? {
        guard let values = reply.array, values.count == Int(Window.length) else { return nil }
        let counts = values.map { $0.isNull ? nil : $0.integer }
        return CounterTotal.summing(counter, bucketCounts: counts, asOfMillis: asOfMillis)
    }

    /// Writes a total (`ARGV[1]`, computed at Unix ms `ARGV[2]`, expiring after
    /// `ARGV[3]` s) unless the stored one was computed up to `ARGV[4]` ms
    /// later. Two aggregators' ticks interleave, and without the check a
    /// slower one could replace a newer total with an older, smaller one. A
    /// stored total far in the future comes from a Redis clock that stepped
    /// back, and is replaced so totals do not freeze. Returns 1 when
    /// written, 0 when kept.
    static let writeScript = RedisScript(source: """
        local current = redis.call('GET', KEYS[1])
        if current then
          local stored = tonumber(string.match(current, '^1 (%d+) '))
          local asOf = tonumber(ARGV[2])
          if stored and stored > asOf and stored - asOf <= tonumber(ARGV[4]) then
            return 0
          end
        end
        redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
        return 1
        """)

    /// How much newer, in ms, a stored total may be and still be kept: far
    /// more than one tick takes, far less than a clock step worth noticing.
    static let newerTotalToleranceMillis: Int64 = 10_000

    /// Keys and arguments of `writeScript` for `total`.
    static func write(_ total: CounterTotal) -> (keys: [RedisArgument], arguments: [RedisArgument]) {
        (
            [RedisArgument(KeySchema.total(total.counter))],
            [
                RedisArgument(total.encoded()), RedisArgument(total.asOfMillis), RedisArgument(totalTTLSeconds),
                RedisArgument(newerTotalToleranceMillis),
            ]
        )
    }
}
