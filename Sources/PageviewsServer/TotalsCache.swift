import Counting
import Synchronization

/// The totals this replica serves, refreshed in the background.
///
/// Requests read it under a mutex; the refresher replaces entries after each
/// read from the store. It also holds the clock offset to the store, which
/// the request path reads through an atomic to stamp views.
final class TotalsCache: Sendable {
    /// Most counters tracked at once, so reads of ever new names cannot grow the cache without bound.
    let maxCounters: Int

    struct Entry {
        var total: CounterTotal?
        /// Local Unix second the counter was last requested or recorded.
        var lastUsed: Int64
    }

    private let entries = Mutex<[CounterName: Entry]>([:])

    init(maxCounters: Int) {
        self.maxCounters = maxCounters
    }
    /// Local Unix ms of the latest successful refresh, 0 before the first.
    private let lastRefresh = Atomic<Int64>(0)
    /// Store time minus local time to apply when stamping views, in ms.
    private let clockOffset = Atomic<Int64>(0)

    /// Returns the cached total of `counter` and marks it as used, so the refresher reads it.
    /// A new counter past `maxCounters` is not tracked and has no total.
    func total(of counter: CounterName, now second: Int64) -> CounterTotal? {
        entries.withLock { entries in
            if entries[counter] == nil {
                guard entries.count < maxCounters else { return nil }
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
        lastRefresh.store(localMillis, ordering: .relaxed)
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
