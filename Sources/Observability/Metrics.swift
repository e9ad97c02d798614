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

/// A value that goes up and down, such as open connections or an age in
/// seconds; safe from any thread.
///
/// The value is a `Double`, as in the exposition format, stored as its bit
/// pattern in an atomic; increments use a compare-and-exchange loop.
public final class Gauge: Sendable {
    private let bits = Atomic<UInt64>(0.0.bitPattern)

    init() {}

    public func set(_ value: Double) {
        bits.store(value.bitPattern, ordering: .relaxed)
    }

    public func set(_ value: Int64) {
        set(Double(value))
    }

    public func increment(by amount: Double = 1) {
        var current = bits.load(ordering: .relaxed)
        while true {
            let next = (Double(bitPattern: current) + amount).bitPattern
            let (exchanged, original) = bits.weakCompareExchange(
                expected: current, desired: next, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    public func decrement(by amount: Double = 1) {
        increment(by: -amount)
    }

    public var value: Double {
        Double(bitPattern: bits.load(ordering: .relaxed))
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

    /// Cumulative counts per bound, the total count and the sum, read under
    /// one lock so that the `+Inf` bucket is never below the last bound's.
    public func snapshot() -> HistogramSnapshot {
        let state = state.withLock { $0 }
        var running: Int64 = 0
        let cumulative = state.counts.map { count in
            running += count
            return running
        }
        return HistogramSnapshot(bounds: bounds, cumulativeCounts: cumulative, count: state.count, sum: state.sum)
    }

    public var count: Int64 {
        state.withLock { $0.count }
    }

    public var sum: Double {
        state.withLock { $0.sum }
    }
}

/// A consistent copy of a histogram: every field comes from the same moment.
public struct HistogramSnapshot: Sendable, Equatable {
    /// Upper bounds of the buckets, ascending, without `+Inf`.
    public let bounds: [Double]
    /// Observations at or below each bound, in the order of `bounds`.
    public let cumulativeCounts: [Int64]
    /// All observations, the `+Inf` bucket.
    public let count: Int64
    public let sum: Double
}

extension Histogram {
    /// Buckets for durations of in-memory work and local round trips, in seconds.
    public static let latencyBounds: [Double] = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
    ]
}
