import Counting
import ServiceKit
import Synchronization

/// The totals this replica serves, refreshed in the background.
///
/// Requests read it under a mutex; the refresher replaces entries after each
/// read from the store. It also holds the clock offset to the store, which
/// the request path reads through an atomic to stamp views.
final class TotalsCache: Sendable {
    /// Most counters tracked at once, so reads of ever new names cannot grow the cache without bound.
    let maxCounters: Int

    /// Renders the body that the counter API serves for `total`, fresh or stale.
    typealias BodyRenderer = @Sendable (_ total: CounterTotal, _ asOf: String, _ stale: Bool) -> [UInt8]

    /// A total with its `as_of` time already formatted and, with a renderer,
    /// its response bodies: the refresher prepares them once per refresh
    /// instead of every response doing the same work again. A class, so that
    /// handing it to a request costs one retain instead of one per field.
    final class ServedTotal: Sendable {
        let total: CounterTotal
        /// `total.asOfMillis` as RFC 3339 UTC, e.g. `2026-12-04T19:40:00Z`.
        let asOf: String
        /// The counter API's bodies for this total; nil when the cache has no renderer.
        let bodies: (fresh: [UInt8], stale: [UInt8])?

        init(total: CounterTotal, asOf: String, bodies: (fresh: [UInt8], stale: [UInt8])?) {
            self.total = total
            self.asOf = asOf
            self.bodies = bodies
        }
    }

    struct Entry {
        var served: ServedTotal?
        /// Local Unix second the counter was last requested or recorded.
        var lastUsed: Int64
    }

    private let entries = Mutex<[CounterName: Entry]>([:])

    private let renderBody: BodyRenderer?

    init(maxCounters: Int, renderBody: BodyRenderer? = nil) {
        self.maxCounters = maxCounters
        self.renderBody = renderBody
    }
    /// Store Unix ms of the newest total ever read, 0 before the first.
    private let newestAsOf = Atomic<Int64>(0)
    /// Local Unix ms of the latest successful refresh, 0 before the first.
    private let lastRefresh = Atomic<Int64>(0)
    /// Store time minus local time to apply when stamping views, in ms.
    private let clockOffset = Atomic<Int64>(0)

    /// Marks `counter` as used, as `total(of:now:)` does, but returns false
    /// instead of adding a new counter once `maxCounters` are cached, so
    /// reads of arbitrary names cannot grow the refresher's work without bound.
    func track(_ counter: CounterName, now second: Int64) -> Bool {
        entries.withLock { entries in
            if let index = entries.index(forKey: counter) {
                entries.values[index].lastUsed = second
                return true
            }
            guard entries.count < maxCounters else { return false }
            entries[counter] = Entry(served: nil, lastUsed: second)
            return true
        }
    }

    /// Returns the cached total of `counter` and marks it as used, so the refresher reads it.
    /// A new counter past `maxCounters` is not tracked and has no total.
    func total(of counter: CounterName, now second: Int64) -> CounterTotal? {
        servedTotal(of: counter, now: second)?.total
    }

    /// Like `total(of:now:)`, with the formatted `as_of` time.
    func servedTotal(of counter: CounterName, now second: Int64) -> ServedTotal? {
        entries.withLock { entries in
            // One hash lookup for the common case of a counter already tracked.
            if let index = entries.index(forKey: counter) {
                entries.values[index].lastUsed = second
                return entries.values[index].served
            }
            if entries.count < maxCounters {
                entries[counter] = Entry(served: nil, lastUsed: second)
            }
            return nil
        }
    }

    /// Counters to read next round; those unused for a whole window are forgotten.
    func trackedCounters(now second: Int64) -> [CounterName] {
        entries.withLock { entries in
            let cutoff = Window.firstSecond(endingAt: second)
            entries = entries.filter { $0.value.lastUsed >= cutoff }
            return entries.keys.sorted()
        }
    }

    /// Stores what a refresh read; counters missing from `totals` keep their previous total.
    func update(with totals: [CounterName: CounterTotal], refreshedAt localMillis: Int64) {
        // Format and render outside the lock; totals of one aggregator tick share their as_of time.
        var formatted: [Int64: String] = [:]
        var served: [(CounterName, ServedTotal)] = []
        served.reserveCapacity(totals.count)
        for (counter, total) in totals {
            let asOf = formatted[total.asOfMillis] ?? UnixTime.iso8601(millis: total.asOfMillis)
            formatted[total.asOfMillis] = asOf
            let bodies = renderBody.map { render in (render(total, asOf, false), render(total, asOf, true)) }
            served.append((counter, ServedTotal(total: total, asOf: asOf, bodies: bodies)))
        }

        entries.withLock { entries in
            for (counter, value) in served {
                guard let index = entries.index(forKey: counter) else { continue }
                entries.values[index].served = value
            }
        }
        if let newest = totals.values.map(\.asOfMillis).max() {
            _ = newestAsOf.max(newest, ordering: .relaxed)
        }
        lastRefresh.store(localMillis, ordering: .relaxed)
    }

    /// Store Unix ms at which the newest total read so far was computed; nil before the first.
    var newestAsOfMillis: Int64? {
        let newest = newestAsOf.load(ordering: .relaxed)
        return newest == 0 ? nil : newest
    }

    var lastRefreshMillis: Int64 {
        lastRefresh.load(ordering: .relaxed)
    }

    var clockOffsetMillis: Int64 {
        get { clockOffset.load(ordering: .relaxed) }
        set { clockOffset.store(newValue, ordering: .relaxed) }
    }

    var count: Int {
        entries.withLock { $0.count }
    }
}
