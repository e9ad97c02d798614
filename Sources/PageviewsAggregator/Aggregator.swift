import Counting
import Observability
import RedisClient
import ServiceKit

/// Recomputes the rolling total of every active counter once per tick,
/// with Redis `TIME` as the clock.
///
/// `@unchecked Sendable`: `session`, `failures`, `backoff` and `nextPruneSecond` are used only
/// on the background loop's thread (or by `tick()` in tests, with no loop running).
public final class Aggregator: @unchecked Sendable {
    /// Counters per pipeline when reading buckets and writing totals, so one
    /// round trip stays small however many counters are active.
    static let chunkSize = 500

    private let session: RedisSession
    private let interval: Duration
    private let metrics: AggregatorMetrics
    private let logger: Logger
    private var failures = 0
    private var reconnectLog = ReconnectLog()
    private var backoff = Backoff(base: .milliseconds(100), maximum: .seconds(2))
    /// Redis second from which the next tick removes idle counters; the first tick always does.
    private var nextPruneSecond = Int64.min
    private var loop: BackgroundLoop?

    init(configuration: AggregatorConfiguration, metrics: AggregatorMetrics, logger: Logger) {
        self.session = RedisSession(
            configuration: configuration.redis, logger: logger.withLabel("pageviews.redis"),
            scripts: [TickComputation.writeScript], reconnectCounter: metrics.redisReconnects)
        self.interval = configuration.tickInterval
        self.metrics = metrics
        self.logger = logger
    }

    func start() {
        let loop = BackgroundLoop(name: "aggregator", step: { [self] in
            runTick() ? interval : backoff.nextDelay()
        })
        self.loop = loop
        loop.start()
    }

    func stop() {
        loop?.stop(timeout: .seconds(5))
        session.close()
    }

    /// Runs one tick and returns the number of totals written.
    @discardableResult
    public func tick() throws -> Int {
        let now = try redisTimeMillis()
        let nowSecond = CounterTotal.second(ofMillis: now)
        let prune = nowSecond >= nextPruneSecond
        let listing = try session.pipeline(TickComputation.activeCounterCommands(nowSecond: nowSecond, prune: prune))
        if prune {
            nextPruneSecond = nowSecond + TickComputation.pruneIntervalSeconds
        }
        let counters = try activeCounters(from: listing[listing.count - 1])
        metrics.activeCounters.set(Int64(counters.count))

        var written = 0
        var start = 0
        while start < counters.count {
            let chunk = Array(counters[start..<min(start + Self.chunkSize, counters.count)])
            written += try writeTotals(of: chunk, nowSecond: nowSecond, asOfMillis: now)
            start += Self.chunkSize
        }
        return written
    }

    private func runTick() -> Bool {
        let started = UnixTime.monotonicNanos()
        defer { reconnectLog.report(session, logger: logger) }
        do {
            try tick()
            metrics.tickDuration.observe(Double(UnixTime.monotonicNanos() - started) / 1e9)
            metrics.ticksSucceeded.increment()
            if failures > 0 {
                logger.info("tick recovered", ["failed_ticks": String(failures)])
            }
            failures = 0
            backoff.reset()
            return true
        } catch {
            failures += 1
            metrics.ticksFailed.increment()
            let level: LogLevel = failures == 1 || failures % 50 == 0 ? .warning : .debug
            logger.log(level, "tick failed; retrying", ["attempt": String(failures), "error": "\(error)"])
            return false
        }
    }

    private func redisTimeMillis() throws -> Int64 {
        let reply = try session.pipeline([["TIME"]])[0]
        guard let parts = reply.array, parts.count == 2, let seconds = parts[0].integer, let micros = parts[1].integer else {
            throw AggregatorError("unexpected reply to TIME")
        }
        return seconds * 1000 + micros / 1000
    }

    private func activeCounters(from reply: RedisValue) throws -> [CounterName] {
        guard let members = reply.array else {
            throw AggregatorError("unexpected reply to ZRANGE \(KeySchema.activeCounters): \(reply.errorMessage ?? "not an array")")
        }
        return members.compactMap { member in
            guard let name = member.string, let counter = try? CounterName(name) else {
                logger.warning("ignoring invalid counter name in the active set", ["member": member.string ?? "?"])
                return nil
            }
            return counter
        }
    }

    private func writeTotals(of counters: [CounterName], nowSecond: Int64, asOfMillis: Int64) throws -> Int {
        let reads = counters.map { TickComputation.bucketRead($0, nowSecond: nowSecond) }
        let replies = try session.pipeline(reads)
        var writes: [[RedisArgument]] = []
        for (counter, reply) in zip(counters, replies) {
            guard let total = TickComputation.total(counter, reply: reply, asOfMillis: asOfMillis) else {
                throw AggregatorError("unexpected reply to MGET of \(counter): \(reply.errorMessage ?? "wrong shape")")
            }
            let write = TickComputation.write(total)
            writes.append(session.evalShaArguments(TickComputation.writeScript, keys: write.keys, arguments: write.arguments))
        }
        let results = try session.pipeline(writes)
        if let failure = results.first(where: { $0.errorMessage != nil }) {
            throw AggregatorError("SET of a total failed: \(failure.errorMessage ?? "")")
        }
        return writes.count
    }
}

/// A reply the aggregator cannot use.
struct AggregatorError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
