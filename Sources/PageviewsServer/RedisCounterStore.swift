import Counting
import Observability
import RedisClient
import ServiceKit

/// The flush protocol and totals reads over Redis.
///
/// Owned by one thread, like the session inside it: the flusher and the
/// refresher each have their own store and connection.
final class RedisCounterStore: BatchStore, TotalsStore {
    static let flushScript = RedisScript(source: FlushScript.source)
    /// How long a counter's mark in the active set counts as recent. The
    /// aggregator removes a counter only after `Window.idleAfterSeconds`
    /// without a mark, so refreshing it every few seconds instead of every
    /// flush keeps the counter listed with far fewer commands.
    static let activeMarkSeconds: Int64 = 5
    /// How often a totals read includes Redis `TIME`, in nanoseconds. In
    /// between, the store's time is estimated from the latest reading and the
    /// monotonic clock, because the offset between the clocks drifts slowly.
    static let timeSampleNanoseconds: UInt64 = 1_000_000_000

    private let session: RedisSession
    private let logger: Logger
    private var reconnectLog = ReconnectLog()
    /// Store second at which each counter was last marked in the active set by this store.
    private var markedAt: [CounterName: Int64] = [:]
    /// The latest `TIME` reply in Unix ms and the monotonic time it was read at.
    private var timeSample: (storeMillis: Int64, monotonicNanos: UInt64)?

    init(configuration: RedisConfiguration, logger: Logger, reconnects: Counter) {
        self.logger = logger
        session = RedisSession(
            configuration: configuration, logger: logger, scripts: [Self.flushScript],
            reconnectCounter: reconnects)
    }

    /// Sends one ZADD marking as seen the plan's counters that this store has
    /// not marked in the last `activeMarkSeconds` (none when all marks are
    /// recent), with one EXPIRE of that set, then one EVALSHA per request.
    ///
    /// The EXPIRE lets the set vanish once no replica has flushed for
    /// `Window.idleAfterSeconds`, when every member would be idle anyway, so
    /// no key of pageviews outlives its use.
    func apply(_ plan: FlushPlan, replica: ReplicaID, nowSecond: Int64) throws -> [ApplyOutcome] {
        defer { reconnectLog.report(session, logger: logger) }
        do {
            let outcomes = try send(plan, replica: replica, nowSecond: nowSecond)
            if outcomes.contains(where: { if case .behind = $0 { true } else { false } }) {
                // Redis lost data, the active set probably with it: mark everything again.
                markedAt = [:]
            }
            return outcomes
        } catch {
            // A failure may mean a restarted Redis without the active set.
            markedAt = [:]
            throw error
        }
    }

    private func send(_ plan: FlushPlan, replica: ReplicaID, nowSecond: Int64) throws -> [ApplyOutcome] {
        try session.connect()
        var commands: [[RedisArgument]] = []
        let unmarked = plan.activeCounters.filter { (markedAt[$0] ?? Int64.min) + Self.activeMarkSeconds <= nowSecond }
        if !unmarked.isEmpty {
            var zadd: [RedisArgument] = ["ZADD", RedisArgument(KeySchema.activeCounters), "GT"]
            for counter in unmarked {
                zadd.append(RedisArgument(nowSecond))
                zadd.append(RedisArgument(counter.rawValue))
            }
            commands.append(zadd)
            commands.append(["EXPIRE", RedisArgument(KeySchema.activeCounters), RedisArgument(Window.idleAfterSeconds)])
        }
        for request in plan.requests {
            let keys = FlushScript.keys(for: request, replica: replica).map { RedisArgument($0) }
            let arguments = FlushScript.arguments(for: request).map { RedisArgument($0) }
            commands.append(session.evalShaArguments(Self.flushScript, keys: keys, arguments: arguments))
        }

        let replies = try session.pipeline(commands)
        let setReplies = unmarked.isEmpty ? 0 : 2
        if let message = replies.prefix(setReplies).compactMap(\.errorMessage).first {
            throw StoreReplyError(message: message)
        }
        let outcomes = try replies.dropFirst(setReplies).map(Self.outcome)
        for counter in unmarked {
            markedAt[counter] = nowSecond
        }
        if markedAt.count > 2 * plan.activeCounters.count + 1_000 {
            // Forget counters this replica stopped flushing, so the map stays bounded.
            markedAt = markedAt.filter { $0.value + Self.activeMarkSeconds > nowSecond }
        }
        return outcomes
    }

    /// Reads every counter's total with one MGET, and Redis `TIME` at most
    /// once per `timeSampleNanoseconds`, in one pipeline.
    ///
    /// NOTE: one MGET across counters spans hash slots, so on Redis Cluster
    /// this read would have to split into one GET per counter.
    func readTotals(of counters: [CounterName]) throws -> TotalsReading {
        defer { reconnectLog.report(session, logger: logger) }
        let now = UnixTime.monotonicNanos()
        let needsTime = timeSample.map { now - $0.monotonicNanos >= Self.timeSampleNanoseconds } ?? true
        var commands: [[RedisArgument]] = needsTime ? [["TIME"]] : []
        if !counters.isEmpty {
            commands.append(["MGET"] + counters.map { RedisArgument(KeySchema.total($0)) })
        }
        guard !commands.isEmpty else {
            return TotalsReading(storeTimeMillis: estimatedStoreMillis(at: now), totals: [:])
        }
        var replies: ArraySlice<RedisValue>
        do {
            replies = try session.pipeline(commands)[...]
        } catch {
            // Sample TIME again after a failure: a failover may bring a server with another clock.
            timeSample = nil
            throw error
        }
        // The readings stand for the middle of the round trip, like the refresher's clock correction.
        let middle = now + (UnixTime.monotonicNanos() - now) / 2

        if needsTime {
            timeSample = (try Self.timeMillis(replies.removeFirst()), middle)
        }
        var totals: [CounterName: CounterTotal] = [:]
        if let values = replies.first {
            guard let values = values.array, values.count == counters.count else {
                throw StoreReplyError(message: "unexpected reply to MGET: \(values.errorMessage ?? "wrong shape")")
            }
            for (counter, value) in zip(counters, values) {
                if let text = value.string, let total = CounterTotal(counter: counter, encoded: text) {
                    totals[counter] = total
                }
            }
        }
        return TotalsReading(storeTimeMillis: estimatedStoreMillis(at: middle), totals: totals)
    }

    /// Estimates the store's time at monotonic `now`: the latest `TIME` reading plus the time elapsed since.
    private func estimatedStoreMillis(at now: UInt64) -> Int64 {
        guard let sample = timeSample else { return UnixTime.nowMillis() }
        return sample.storeMillis + Int64((now - sample.monotonicNanos) / 1_000_000)
    }

    private static func timeMillis(_ reply: RedisValue) throws -> Int64 {
        guard let time = reply.array, time.count == 2,
            let seconds = time[0].integer, let micros = time[1].integer
        else {
            throw StoreReplyError(message: "unexpected reply to TIME")
        }
        return seconds * 1000 + micros / 1000
    }

    private static func outcome(_ reply: RedisValue) throws -> ApplyOutcome {
        if let message = reply.errorMessage {
            throw StoreReplyError(message: message)
        }
        guard let fields = reply.array, fields.count == 2,
            let code = fields[0].integer, let stored = fields[1].integer,
            let outcome = FlushScript.outcome(code: code, stored: stored)
        else {
            throw StoreReplyError(message: "unexpected reply to the flush script")
        }
        return outcome
    }
}

/// An error reply, or a reply of unexpected shape, to a command of the flush or refresh pipeline.
struct StoreReplyError: Error, CustomStringConvertible {
    let message: String
    var description: String { "redis reply: \(message)" }
}
