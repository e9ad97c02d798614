/// The store side of the flush protocol: applies the requests of a plan.
///
/// Implementations: the Redis store (one connection, owned by the flusher
/// thread) and `EmbeddedStore`. A thrown error means the round failed as a
/// whole and the caller plans it again; the store may have applied part of
/// it, which the sequence numbers make harmless.
public protocol BatchStore: AnyObject {
    /// Applies `plan` and returns one outcome per request, in order.
    /// `nowSecond` is the Unix second on the store's clock, used to mark the
    /// plan's counters as seen.
    func apply(_ plan: FlushPlan, replica: ReplicaID, nowSecond: Int64) throws -> [ApplyOutcome]
}

/// Reads the totals the aggregator computed.
public protocol TotalsStore: AnyObject {
    /// Reads the totals of `counters` and the store's current time in one round trip.
    /// A counter with no total yet is missing from the result.
    func readTotals(of counters: [CounterName]) throws -> TotalsReading
}

/// Totals read in one round trip, with the store's clock at that moment.
public struct TotalsReading: Sendable {
    public let storeTimeMillis: Int64
    public let totals: [CounterName: CounterTotal]

    public init(storeTimeMillis: Int64, totals: [CounterName: CounterTotal]) {
        self.storeTimeMillis = storeTimeMillis
        self.totals = totals
    }
}
