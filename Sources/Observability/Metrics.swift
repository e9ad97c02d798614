import Synchronization

/// A monotonically increasing count, safe to update from any thread.
public final class Counter: Sendable {
    private let storage = Atomic<Int64>(0)

    init() {}

    public func increment(by amount: Int64 = 1) {
        storage.add(amount, ordering: .relaxed)
    }

    public var value: Int64 {
        storage.load(ordering: .relaxed)
    }
}

/// A value that goes up and down, such as open connections; safe from any thread.
public final class Gauge: Sendable {
    private let storage = Atomic<Int64>(0)

    init() {}

    public func set(_ value: Int64) {
        storage.store(value, ordering: .relaxed)
    }

    public func increment(by amount: Int64 = 1) {
        storage.add(amount, ordering: .relaxed)
    }

    public func decrement(by amount: Int64 = 1) {
        storage.subtract(amount, ordering: .relaxed)
    }

    public var value: Int64 {
        storage.load(ordering: .relaxed)
    }
}

/// A distribution of observations in fixed buckets, safe from any thread.
///
/// Observations are in the unit the metric's name states (seconds for
/// `_seconds`). A mutex guards the buckets: an observation holds it for a few
/// nanoseconds, and `Atomic` values cannot be stored in an array.
public final class Histogram: Sendable {
    private struct State {
        var counts: [Int64]
        var count: Int64 = 0
        var sum: Double = 0
    }

    /// Upper bounds of the buckets, ascending; `+Inf` is implied.
    public let bounds: [Double]
    private let state: Mutex<State>

    init(bounds: [Double]) {
        self.bounds = bounds.sorted()
        self.state = Mutex(State(counts: Array(repeating: 0, count: bounds.count)))
    }

    public func observe(_ value: Double) {
        let index = bounds.firstIndex(where: { value <= $0 })
        state.withLock { state in
            if let index {
                state.counts[index] += 1
            }
            state.count += 1
            state.sum += value
        }
    }

    /// Cumulative counts per bound, as the exposition format wants them.
    var cumulativeCounts: [Int64] {
        let counts = state.withLock { $0.counts }
        var running: Int64 = 0
        return counts.map { count in
            running += count
            return running
        }
    }

    public var count: Int64 {
        state.withLock { $0.count }
    }

    public var sum: Double {
        state.withLock { $0.sum }
    }
}

extension Histogram {
    /// Buckets for durations of in-memory work and local round trips, in seconds.
    public static let latencyBounds: [Double] = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
    ]
}
