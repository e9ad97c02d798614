/// The offset between a replica's clock and the store's clock.
///
/// Replicas stamp views with their own clock, and the aggregator's window
/// follows the store's. Offsets within `tolerance` are ignored so that round
/// trip noise does not move views between neighbouring seconds; larger ones
/// are applied in full.
public struct ClockCorrection: Sendable, Equatable {
    public static let defaultToleranceMillis: Int64 = 250

    /// One measurement: the round trip and the offset it gave, in ms.
    private struct Sample: Equatable, Sendable {
        let roundTripMillis: Int64
        let offsetMillis: Int64
    }

    /// Samples the offset is chosen from: at one refresh per 200 ms, the last 1.6 s.
    public static let sampleCount = 8

    public let toleranceMillis: Int64
    /// Store time minus local time, in milliseconds, from the sample with
    /// the shortest round trip among the latest `sampleCount`.
    public private(set) var measuredOffsetMillis: Int64 = 0
    /// The latest samples, oldest first.
    private var samples: [Sample] = []

    public init(toleranceMillis: Int64 = Self.defaultToleranceMillis) {
        self.toleranceMillis = toleranceMillis
    }

    /// Records a sample: a store time read between two local readings, all in Unix ms.
    ///
    /// The store time is compared with the midpoint of the round trip, which
    /// is off by up to half the round trip when one direction was delayed.
    /// So the offset comes from the quickest recent sample (the newest among
    /// equals), and one slow refresh on a busy machine does not move it. A
    /// real clock step is followed within `sampleCount` samples.
    public mutating func update(localBefore: Int64, storeTime: Int64, localAfter: Int64) {
        let roundTrip = max(0, localAfter - localBefore)
        samples.append(Sample(roundTripMillis: roundTrip, offsetMillis: storeTime - (localBefore + roundTrip / 2)))
        if samples.count > Self.sampleCount {
            samples.removeFirst()
        }
        var quickest = samples[samples.count - 1]
        for sample in samples.reversed() where sample.roundTripMillis < quickest.roundTripMillis {
            quickest = sample
        }
        measuredOffsetMillis = quickest.offsetMillis
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
