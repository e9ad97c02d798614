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

    private let session: RedisSession
    private let logger: Logger
    private var reconnectLog = ReconnectLog()

    init(configuration: RedisConfiguration, logger: Logger, reconnects: Counter) {
        self.logger = logger
        session = RedisSession(
            configuration: configuration, logger: logger, scripts: [Self.flushScript],
            reconnectCounter: reconnects)
    }

    /// Sends one ZADD marking the plan's counters as seen and one EXPIRE of
    /// that set, then one EVALSHA per request.
    ///
    /// The EXPIRE lets the set vanish once no replica has flushed for
    /// `Window.idleAfterSeconds`, when every member would be idle anyway, so
    /// no key of pageviews outlives its use.
    func apply(_ plan: FlushPlan, replica: ReplicaID, nowSecond: Int64) throws -> [ApplyOutcome] {
        defer { reconnectLog.report(session, logger: logger) }
        try session.connect()
        var commands: [[RedisArgument]] = []
        if !plan.activeCounters.isEmpty {
            var zadd: [RedisArgument] = ["ZADD", RedisArgument(KeySchema.activeCounters), "GT"]
            for counter in plan.activeCounters {
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
        let setReplies = plan.activeCounters.isEmpty ? 0 : 2
        if let message = replies.prefix(setReplies).compactMap(\.errorMessage).first {
            throw StoreReplyError(message: message)
        }
        return try replies.dropFirst(setReplies).map(Self.outcome)
    }

    /// Reads TIME and every counter's total in one pipeline.
    func readTotals(of counters: [CounterName]) throws -> TotalsReading {
        defer { reconnectLog.report(session, logger: logger) }
        var commands: [[RedisArgument]] = [["TIME"]]
        commands += counters.map { ["GET", RedisArgument(KeySchema.total($0))] }
        let replies = try session.pipeline(commands)

        guard let time = replies[0].array, time.count == 2,
            let seconds = time[0].integer, let micros = time[1].integer
        else {
            throw StoreReplyError(message: "unexpected reply to TIME")
        }
        var totals: [CounterName: CounterTotal] = [:]
        for (counter, reply) in zip(counters, replies.dropFirst()) {
            if let text = reply.string, let total = CounterTotal(counter: counter, encoded: text) {
                totals[counter] = total
            }
        }
        return TotalsReading(storeTimeMillis: seconds * 1000 + micros / 1000, totals: totals)
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

/// Redis answered a command of the flush or refresh pipeline with an error or an unexpected shape.
struct StoreReplyError: Error, CustomStringConvertible {
    let message: String
    var description: String { "redis reply: \(message)" }
}
