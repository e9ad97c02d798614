import Counting
import Synchronization

/// The totals this replica serves, refreshed in the background.
///
/// Requests read it under a mutex; the refresher replaces entries after each
/// read from the store. It also holds the clock offset to the store, which
/// the request path reads through an atomic to stamp views.
final class TotalsCache: Sendable {
    struct Entry {
        var total: CounterTotal?
        /// Local Unix second the counter was last requested or recorded.
        var lastUsed: Int64
    }

    /// Counters that `track` admits; see `track(_:now:)`.
    let maxCounters: Int
    private let entries = Mutex<[CounterName: Entry]>([:])
    /// Store Unix ms of the newest total ever read, 0 before the first.
    private let newestAsOf = Atomic<Int64>(0)
    /// Local Unix ms of the latest successful refresh, 0 before the first.
    private let lastRefresh = Atomic<Int64>(0)
    /// Store time minus local time to apply when stamping views, in ms.
    private let clockOffset = Atomic<Int64>(0)

    init(maxCounters: Int) {
        self.maxCounters = maxCounters
    }

    /// Marks `counter` as used, as `total(of:now:)` does, but returns false
    /// instead of adding a new counter once `maxCounters` are cached, so
    /// reads of arbitrary names cannot grow the refresher's work without bound.
    func track(_ counter: CounterName, now second: Int64) -> Bool {
        entries.withLock { entries in
            if entries[counter] != nil {
                entries[counter]!.lastUsed = second
                return true
            }
            guard entries.count < maxCounters else { return false }
            entries[counter] = Entry(total: nil, lastUsed: second)
            return true
        }
    }

    /// Returns the cached total of `counter` and marks it as used, so the refresher reads it.
    ///
    /// It adds `counter` even past `maxCounters`: callers pass only counters
    /// that `track` or the view recorder's own limit admitted, so the cache
    /// holds at most twice `maxCounters`.
    func total(of counter: CounterName, now second: Int64) -> CounterTotal? {
        entries.withLock { entries in
            if entries[counter] == nil {
                entries[counter] = Entry(total: nil, lastUsed: second)
            } else {
                entries[counter]!.lastUsed = second
            }
            return entries[counter]!.total
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
        entries.withLock { entries in
            for (counter, total) in totals {
                entries[counter]?.total = total
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
