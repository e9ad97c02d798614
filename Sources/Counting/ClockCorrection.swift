/// The offset between a replica's clock and the store's clock.
///
/// Replicas stamp views with their own clock, and the aggregator's window
/// follows the store's. Offsets within `tolerance` are ignored so that round
/// trip noise does not move views between neighbouring seconds; larger ones
/// are applied in full.
public struct ClockCorrection: Sendable, Equatable {
    public static let defaultToleranceMillis: Int64 = 250

    public let toleranceMillis: Int64
    /// Store time minus local time, in milliseconds, from the latest sample.
    public private(set) var measuredOffsetMillis: Int64 = 0

    public init(toleranceMillis: Int64 = Self.defaultToleranceMillis) {
        self.toleranceMillis = toleranceMillis
    }

    /// Records a sample: a store time read between two local readings, all in Unix ms.
    /// The store time is compared with the midpoint of the round trip.
    public mutating func update(localBefore: Int64, storeTime: Int64, localAfter: Int64) {
        let midpoint = localBefore + (localAfter - localBefore) / 2
        measuredOffsetMillis = storeTime - midpoint
    }

    /// The offset applied to local time: zero while within tolerance.
    public var appliedOffsetMillis: Int64 {
        abs(measuredOffsetMillis) > toleranceMillis ? measuredOffsetMillis : 0
    }

    /// Local Unix ms converted to the store's clock.
    public func storeTime(fromLocal millis: Int64) -> Int64 {
        millis + appliedOffsetMillis
    }
}
