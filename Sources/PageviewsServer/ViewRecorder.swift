import Counting
import Synchronization

/// The per-replica hit buffer that every event loop records into.
///
/// Recording takes a mutex for a dictionary update and never touches the
/// network. The flusher takes the buffer's content each round. The recorder
/// also bounds how many counters the replica tracks at once.
final class ViewRecorder: Sendable {
    enum Result: Equatable {
        case recorded
        /// The counter is new and the replica already tracks `maxCounters` others.
        case tooManyCounters
    }

    private struct State {
        var buffer = DeltaBuffer()
        /// Unix second each tracked counter last recorded a view.
        var lastSeen: [CounterName: Int64] = [:]
    }

    let maxCounters: Int
    private let state = Mutex(State())

    init(maxCounters: Int) {
        self.maxCounters = maxCounters
    }

    /// Records one view of `counter` in Unix second `second` (store clock).
    func record(_ counter: CounterName, second: Int64) -> Result {
        state.withLock { state in
            // One hash lookup for a counter already tracked; a new one past the limit is taken out again.
            if state.lastSeen.updateValue(second, forKey: counter) == nil && state.lastSeen.count > maxCounters {
                state.lastSeen[counter] = nil
                return .tooManyCounters
            }
            state.buffer.record(counter, second: second)
            return .recorded
        }
    }

    /// Removes and returns everything recorded since the previous call.
    func takeBuffer() -> DeltaBuffer {
        state.withLock { state in
            let taken = state.buffer
            state.buffer = DeltaBuffer()
            return taken
        }
    }

    /// Forgets counters with no view for a whole window, so the limit frees up.
    /// Returns the number of counters still tracked.
    @discardableResult
    func forgetIdleCounters(now second: Int64) -> Int {
        state.withLock { state in
            let cutoff = Window.firstSecond(endingAt: second)
            state.lastSeen = state.lastSeen.filter { $0.value >= cutoff }
            return state.lastSeen.count
        }
    }
}
