/// Views recorded since the last drain, per counter and Unix second.
///
/// A value type with no locking: the owner serialises access. Its size is
/// bounded by counters times seconds, whatever the number of views, because
/// views of the same counter and second share one slot.
public struct DeltaBuffer: Sendable {
    private var slots: [CounterName: [Int64: Int64]] = [:]

    public init() {}

    public var isEmpty: Bool { slots.isEmpty }

    /// Number of views buffered, over all counters and seconds.
    public var viewCount: Int64 {
        slots.values.reduce(0) { total, seconds in total + seconds.values.reduce(0, +) }
    }

    public mutating func record(_ counter: CounterName, second: Int64, count: Int64 = 1) {
        slots[counter, default: [:]][second, default: 0] += count
    }

    /// Adds every slot of `other` into this buffer.
    public mutating func merge(_ other: DeltaBuffer) {
        for (counter, seconds) in other.slots {
            for (second, count) in seconds {
                record(counter, second: second, count: count)
            }
        }
    }

    /// Removes and returns everything buffered, sorted by counter and second.
    public mutating func drain() -> [CounterDelta] {
        let deltas = slots.keys.sorted().map { counter in
            CounterDelta(counter: counter, buckets: slots[counter]!.sorted { $0.key < $1.key }.map {
                Bucket(second: $0.key, count: $0.value)
            })
        }
        slots = [:]
        return deltas
    }

    /// Removes slots of seconds before `firstSecond` and returns how many views they held.
    public mutating func dropSeconds(before firstSecond: Int64) -> Int64 {
        var dropped: Int64 = 0
        for (counter, seconds) in slots {
            let expired = seconds.filter { $0.key < firstSecond }
            guard !expired.isEmpty else { continue }
            dropped += expired.values.reduce(0, +)
            let kept = seconds.filter { $0.key >= firstSecond }
            slots[counter] = kept.isEmpty ? nil : kept
        }
        return dropped
    }
}

/// Views of one Unix second.
public struct Bucket: Hashable, Sendable {
    public let second: Int64
    public let count: Int64

    public init(second: Int64, count: Int64) {
        self.second = second
        self.count = count
    }
}

/// The buckets one batch adds to one counter, oldest second first.
public struct CounterDelta: Hashable, Sendable {
    public let counter: CounterName
    public let buckets: [Bucket]

    public init(counter: CounterName, buckets: [Bucket]) {
        self.counter = counter
        self.buckets = buckets
    }

    public var viewCount: Int64 {
        buckets.reduce(0) { $0 + $1.count }
    }

    /// The same delta without buckets before `firstSecond`; nil when nothing is left.
    public func keeping(from firstSecond: Int64) -> CounterDelta? {
        let kept = buckets.filter { $0.second >= firstSecond }
        return kept.isEmpty ? nil : CounterDelta(counter: counter, buckets: kept)
    }
}
