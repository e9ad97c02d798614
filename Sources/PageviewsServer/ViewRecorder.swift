import Counting
import Synchronization

/// The per-replica hit buffer that every event loop records into.
///
/// Recording takes a mutex for one dictionary update and never touches the
/// network. The flusher takes the buffer's content each round. The recorder
/// also bounds how many counters the replica tracks at once.
final class ViewRecorder: Sendable {
    enum Result: Equatable {
        case recorded
        /// The counter is new and the replica already tracks `maxCounters` others.
        case tooManyCounters
    }

    /// One tracked counter: when it was last seen and its views since the last `takeBuffer()`.
    private struct Tracked {
        /// Unix second of the latest view.
        var lastSeen: Int64
        /// Views per Unix second, oldest first. A flush round spans one or two
        /// seconds, so a short array scanned from the end beats hashing the second.
        var views: [(second: Int64, count: Int64)] = []

        /// Adds one view in `second`.
        mutating func record(_ second: Int64) {
            lastSeen = max(lastSeen, second)
            if let last = views.indices.last, views[last].second == second {
                views[last].count += 1
            } else if let index = views.firstIndex(where: { $0.second == second }) {
                views[index].count += 1
            } else {
                views.append((second, 1))
            }
        }
    }

    let maxCounters: Int
    /// The counters recorded in the last window; one hash lookup per view.
    private let counters = Mutex<[CounterName: Tracked]>([:])

    init(maxCounters: Int) {
        self.maxCounters = maxCounters
    }

    /// Records one view of `counter` in Unix second `second` (store clock).
    func record(_ counter: CounterName, second: Int64) -> Result {
        counters.withLock { counters in
            if let index = counters.index(forKey: counter) {
                counters.values[index].record(second)
                return .recorded
            }
            guard counters.count < maxCounters else { return .tooManyCounters }
            var tracked = Tracked(lastSeen: second)
            tracked.record(second)
            counters[counter] = tracked
            return .recorded
        }
    }

    /// Removes and returns everything recorded since the previous call.
    func takeBuffer() -> DeltaBuffer {
        var buffer = DeltaBuffer()
        counters.withLock { counters in
            for index in counters.indices where !counters.values[index].views.isEmpty {
                let counter = counters.keys[index]
                for (second, count) in counters.values[index].views {
                    buffer.record(counter, second: second, count: count)
                }
                counters.values[index].views.removeAll(keepingCapacity: true)
            }
        }
        return buffer
    }

    /// Forgets counters with no view for a whole window, so the limit frees up.
    /// Returns the number of counters still tracked.
    @discardableResult
    func forgetIdleCounters(now second: Int64) -> Int {
        counters.withLock { counters in
            let cutoff = Window.firstSecond(endingAt: second)
            counters = counters.filter { $0.value.lastSeen >= cutoff || !$0.value.views.isEmpty }
            return counters.count
        }
    }
}
