import Glibc
import Counting
import Observability
import ServiceKit

/// Sends the replica's buffered views to the store, one pipelined batch per
/// flush interval, retrying a failed batch with the same sequence number.
///
/// `@unchecked Sendable`: `planner`, `carry`, `backoff`, `attempts` and
/// `reconnectsSeen` are used only on the background loop's thread, and
/// `store` is owned by it.
final class Flusher: @unchecked Sendable {
    private let recorder: ViewRecorder
    private let store: any BatchStore
    private let replica: ReplicaID
    private let interval: Duration
    private let storeClock: @Sendable () -> Int64
    private let metrics: ServerMetrics
    private let logger: Logger

    private var planner = FlushPlanner()
    /// Views taken from the recorder that no batch contains yet.
    private var carry = DeltaBuffer()
    /// Capped at 1 s so that a replica flushes within about a second of
    /// Redis coming back, however long the outage was.
    private var backoff = Backoff(base: .milliseconds(50), maximum: .seconds(1))
    /// Consecutive failed rounds of the current batch.
    private var attempts = 0
    /// `pageviews_redis_reconnects_total` when the planner last verified the store.
    private var reconnectsSeen: Int64 = 0
    private var loop: BackgroundLoop?

    /// `storeClock` returns the store's time in Unix ms, as this replica estimates it.
    init(
        recorder: ViewRecorder, store: any BatchStore, replica: ReplicaID, interval: Duration,
        storeClock: @escaping @Sendable () -> Int64, metrics: ServerMetrics, logger: Logger
    ) {
        self.recorder = recorder
        self.store = store
        self.replica = replica
        self.interval = interval
        self.storeClock = storeClock
        self.metrics = metrics
        self.logger = logger
    }

    func start(shutdownTimeout: Duration) {
        let loop = BackgroundLoop(
            name: "flusher",
            step: { [self] in flushOnce() ? interval : backoff.nextDelay() },
            finalStep: { [self] in flushRemaining(within: shutdownTimeout) })
        self.loop = loop
        loop.start()
    }

    /// Stops the loop after a final flush; returns false if it did not finish in `timeout`.
    @discardableResult
    func stop(timeout: Duration) -> Bool {
        loop?.stop(timeout: timeout) ?? true
    }

    /// Runs one round; returns false when the store failed and the round must be retried.
    private func flushOnce() -> Bool {
        // Any Redis connection opened again, the refresher's included, may
        // mean Redis restarted empty. Counters without new views would never
        // show that loss, so the planner probes them.
        let reconnects = metrics.redisReconnects.value
        if reconnects != reconnectsSeen {
            reconnectsSeen = reconnects
            planner.verifyStore()
        }
        carry.merge(recorder.takeBuffer())
        let now = CounterTotal.second(ofMillis: storeClock())
        recorder.forgetIdleCounters(now: now)
        let plan = planner.plan(draining: &carry, now: now)
        if plan.droppedViews > 0 {
            metrics.viewsDroppedExpired.increment(by: plan.droppedViews)
            logger.error("dropped views that left the window before the store acknowledged them",
                         ["views": String(plan.droppedViews)])
        }
        defer { metrics.viewsBuffered.set(carry.viewCount + planner.pendingViewCount) }
        guard !plan.isEmpty else { return true }

        let started = UnixTime.monotonicNanos()
        do {
            let outcomes = try store.apply(plan, replica: replica, nowSecond: now)
            metrics.flushDuration.observe(Double(UnixTime.monotonicNanos() - started) / 1e9)
            record(planner.complete(plan, outcomes: outcomes), plan: plan)
            return true
        } catch {
            recordFailure(error, plan: plan)
            return false
        }
    }

    private func record(_ report: FlushReport, plan: FlushPlan) {
        metrics.flushApplied.increment()
        metrics.flushDuplicates.increment(by: Int64(report.duplicateRequests))
        metrics.replays.increment(by: Int64(report.replayedRequests))
        if attempts > 0 {
            logger.info("flush succeeded after retries", ["sequence": sequenceField(plan), "attempts": String(attempts + 1)])
        }
        if !report.behindCounters.isEmpty {
            metrics.storeBehind.increment(by: Int64(report.behindCounters.count))
            logger.warning("store lost data; replaying batches inside the window",
                           ["counters": String(report.behindCounters.count), "sequence": sequenceField(plan)])
        }
        if report.replayedRequests > 0 {
            logger.notice("replayed batches", ["requests": String(report.replayedRequests)])
        }
        attempts = 0
        backoff.reset()
    }

    private func recordFailure(_ error: any Error, plan: FlushPlan) {
        attempts += 1
        metrics.flushFailed.increment()
        metrics.flushRetries.increment()
        let level: LogLevel = attempts == 1 || attempts % 50 == 0 ? .warning : .debug
        logger.log(level, "flush failed; retrying the same batch", [
            "sequence": sequenceField(plan), "attempt": String(attempts), "error": "\(error)",
        ])
    }

    /// Flushes until nothing is buffered or pending, or `timeout` passes.
    private func flushRemaining(within timeout: Duration) {
        let deadline = UnixTime.monotonicNanos() + UInt64(ServerApplication.milliseconds(timeout)) * 1_000_000
        var rounds = 0
        repeat {
            rounds += 1
            if !flushOnce() {
                let delay = backoff.nextDelay()
                usleep(UInt32(min(delay.components.seconds * 1_000_000 + delay.components.attoseconds / 1_000_000_000_000, 1_000_000)))
            }
        } while hasUnflushedViews && UnixTime.monotonicNanos() < deadline

        let left = carry.viewCount + planner.pendingViewCount + recorder.takeBuffer().viewCount
        if left > 0 {
            metrics.viewsDroppedAtShutdown.increment(by: left)
            logger.error("final flush incomplete; views lost", ["views": String(left), "rounds": String(rounds)])
        } else {
            logger.info("final flush complete", ["rounds": String(rounds), "last_sequence": String(planner.nextSequence - 1)])
        }
    }

    private var hasUnflushedViews: Bool {
        planner.hasWork || !carry.isEmpty
    }

    private func sequenceField(_ plan: FlushPlan) -> String {
        plan.requests.map(\.sequence).max().map(String.init) ?? "none"
    }
}
