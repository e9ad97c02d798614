/// One flush of a replica: the deltas gathered since its previous acknowledged
/// batch, under a sequence number that grows by one per batch.
///
/// A batch keeps its sequence number and content across retries, so Redis can
/// tell a retry of a batch it already applied from a new one.
public struct FlushBatch: Hashable, Sendable {
    public let sequence: UInt64
    public let deltas: [CounterDelta]

    public init(sequence: UInt64, deltas: [CounterDelta]) {
        self.sequence = sequence
        self.deltas = deltas
    }

    public var viewCount: Int64 {
        deltas.reduce(0) { $0 + $1.viewCount }
    }

    /// The newest second any delta touches; batches older than the window leave the journal.
    public var newestSecond: Int64 {
        deltas.flatMap(\.buckets).map(\.second).max() ?? Int64.min
    }

    public func delta(for counter: CounterName) -> CounterDelta? {
        deltas.first { $0.counter == counter }
    }
}
