import Counting
import Observability
import ServiceKit

/// Reads the totals this replica serves, and the store's clock, in one round
/// trip per refresh interval.
///
/// `@unchecked Sendable`: `store`, `correction` and `failures` are used only
/// on the background loop's thread.
final class Refresher: @unchecked Sendable {
    private let cache: TotalsCache
    private let store: any TotalsStore
    private let interval: Duration
    private let metrics: ServerMetrics
    private let logger: Logger
    /// Local Unix time in ms; tests pass a clock they can move.
    private let clock: @Sendable () -> Int64
    private var correction = ClockCorrection()
    private var failures = 0
    /// Capped at 500 ms so that fresh totals follow soon after Redis comes back.
    private var backoff = Backoff(base: .milliseconds(50), maximum: .milliseconds(500))
    private var loop: BackgroundLoop?

    init(
        cache: TotalsCache, store: any TotalsStore, interval: Duration, metrics: ServerMetrics, logger: Logger,
        clock: @escaping @Sendable () -> Int64 = { UnixTime.nowMillis() }
    ) {
        self.cache = cache
        self.clock = clock
        self.store = store
        self.interval = interval
        self.metrics = metrics
        self.logger = logger
    }

    func start() {
        let loop = BackgroundLoop(name: "refresher", step: { [self] in
            refreshOnce() ? interval : backoff.nextDelay()
        })
        self.loop = loop
        loop.start()
    }

    func stop(timeout: Duration) {
        loop?.stop(timeout: timeout)
    }

    /// Runs one refresh; returns false when the store could not be read.
    @discardableResult
    func refreshOnce() -> Bool {
        let before = clock()
        let counters = cache.trackedCounters(now: before / 1000)
        metrics.countersTracked.set(Int64(counters.count))
        defer { updateTotalsAge() }
        do {
            let reading = try store.readTotals(of: counters)
            let after = clock()
            correction.update(localBefore: before, storeTime: reading.storeTimeMillis, localAfter: after)
            cache.clockOffsetMillis = correction.appliedOffsetMillis
            cache.update(with: reading.totals, refreshedAt: after)
            recordSuccess(reading)
            return true
        } catch {
            failures += 1
            metrics.refreshFailed.increment()
            let level: LogLevel = failures == 1 || failures % 50 == 0 ? .warning : .debug
            logger.log(level, "refresh of totals failed; serving cached totals", [
                "attempt": String(failures), "error": "\(error)",
            ])
            return false
        }
    }

    private func recordSuccess(_ reading: TotalsReading) {
        metrics.refreshSucceeded.increment()
        metrics.clockOffset.set(Double(correction.measuredOffsetMillis) / 1000)
        if failures > 0 {
            logger.info("refresh of totals recovered", ["failed_attempts": String(failures)])
        }
        failures = 0
        backoff.reset()
    }

    /// Sets the age gauge after every attempt, failed ones included, so that
    /// it keeps growing while the store is unreachable or no aggregator runs.
    private func updateTotalsAge() {
        guard let newest = cache.newestAsOfMillis else { return }

        let storeNow = clock() + cache.clockOffsetMillis
        metrics.totalsAge.set(Double(max(0, storeNow - newest)) / 1000)
    }
}
