import Synchronization

/// The views that clients got a 2xx response for, by counter and Unix
/// second, and by the instance that responded. Safe from any thread.
///
/// A view's second is known exactly when its request was sent and its
/// response received within the same second of this machine's clock, which
/// the replicas and Redis share (a skewed replica corrects its stamps to
/// Redis time). Views whose request and response straddle a second boundary
/// are kept as ambiguous spans, so window counts become ranges.
public final class ViewTally: Sendable {
    private let state = Mutex(TallySnapshot())

    public init() {}

    public func recordView(counter: String, sentMillis: Int64, receivedMillis: Int64, instance: String) {
        let first = Self.second(sentMillis)
        let last = Self.second(receivedMillis)
        state.withLock { tally in
            tally.sent += 1
            if first == last {
                tally.exact[counter, default: [:]][first, default: 0] += 1
            } else {
                tally.ambiguous[counter, default: []].append(first...last)
            }
            tally.receivedByInstance[instance, default: []].append(receivedMillis)
        }
    }

    /// Records a request that got no 2xx; only the first messages are kept.
    public func recordFailure(_ message: String) {
        state.withLock { tally in
            tally.failures += 1
            if tally.failureSamples.count < 10 {
                tally.failureSamples.append(message)
            }
        }
    }

    public func snapshot() -> TallySnapshot {
        state.withLock { $0 }
    }

    static func second(_ millis: Int64) -> Int64 {
        millis >= 0 ? millis / 1000 : (millis - 999) / 1000
    }
}

/// A copy of a `ViewTally` at one moment.
public struct TallySnapshot: Sendable {
    public internal(set) var sent = 0
    public internal(set) var failures = 0
    public internal(set) var failureSamples: [String] = []
    var exact: [String: [Int64: Int]] = [:]
    var ambiguous: [String: [ClosedRange<Int64>]] = [:]
    /// Unix ms at which each response arrived, by `X-Instance`.
    public internal(set) var receivedByInstance: [String: [Int64]] = [:]

    /// Views of `counter` over all seconds.
    public func total(_ counter: String) -> Int {
        (exact[counter]?.values.reduce(0, +) ?? 0) + (ambiguous[counter]?.count ?? 0)
    }

    /// Returns the range of views of `counter` that the window of `seconds` can contain:
    /// the lower bound counts ambiguous views only when every second they
    /// may have landed in is inside, the upper bound when any one is.
    public func views(_ counter: String, in seconds: ClosedRange<Int64>) -> ClosedRange<Int> {
        let certain = exact[counter, default: [:]].filter { seconds.contains($0.key) }.values.reduce(0, +)
        let spans = ambiguous[counter] ?? []
        let inside = spans.filter { seconds.contains($0.lowerBound) && seconds.contains($0.upperBound) }.count
        let touching = spans.filter { seconds.overlaps($0) }.count
        return (certain + inside)...(certain + touching)
    }

    /// Views of `counter` in one second, as a range for the same reason as `views(_:in:)`.
    public func views(_ counter: String, second: Int64) -> ClosedRange<Int> {
        views(counter, in: second...second)
    }

    /// Counts the views that `instance` served with a response received in `range` (Unix ms).
    public func views(answeredBy instance: String, receivedIn range: ClosedRange<Int64>) -> Int {
        receivedByInstance[instance, default: []].filter { range.contains($0) }.count
    }

    public var counters: [String] {
        Array(Set(exact.keys).union(ambiguous.keys)).sorted()
    }
}
