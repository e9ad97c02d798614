/// The store's outcome for one counter's part of a batch.
public enum ApplyOutcome: Hashable, Sendable {
    /// The deltas were added and the counter's sequence number moved to the batch's.
    case applied
    /// The store had applied this batch or a newer one before, so nothing was added.
    case duplicate
    /// The store's sequence number for the counter, `stored`, is behind the
    /// last one this replica saw acknowledged: the store lost data. Nothing
    /// was added; the replica replays its batches after `stored`.
    case behind(stored: UInt64)
}

/// One counter's part of a batch as sent to the store.
public struct ApplyRequest: Hashable, Sendable {
    public let sequence: UInt64
    public let delta: CounterDelta
    /// The last sequence number the replica saw acknowledged for this counter,
    /// or 0 for a replay, which skips the data-loss check.
    public let acknowledged: UInt64

    public init(sequence: UInt64, delta: CounterDelta, acknowledged: UInt64) {
        self.sequence = sequence
        self.delta = delta
        self.acknowledged = acknowledged
    }

    /// Makes a request that adds nothing and only checks that the store
    /// still has batch `acknowledged` of `counter`. The store returns
    /// `.duplicate` if it has and `.behind` if it lost it.
    public static func probe(_ counter: CounterName, acknowledged: UInt64) -> ApplyRequest {
        ApplyRequest(
            sequence: acknowledged, delta: CounterDelta(counter: counter, buckets: []), acknowledged: acknowledged)
    }

    /// Whether this is a `probe`: batches always carry at least one bucket per counter.
    public var isProbe: Bool {
        delta.buckets.isEmpty
    }
}
