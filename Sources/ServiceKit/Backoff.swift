/// Exponential backoff with full jitter for retries: the n-th consecutive
/// failure waits a random time up to `base * 2^n`, capped at `maximum`.
///
/// Jitter keeps replicas that lost Redis at the same moment from retrying in
/// lockstep when it comes back.
public struct Backoff: Sendable {
    public let base: Duration
    public let maximum: Duration
    public private(set) var failures = 0

    public init(base: Duration = .milliseconds(50), maximum: Duration = .seconds(2)) {
        self.base = base
        self.maximum = maximum
    }

    /// Records a failure and returns how long to wait before the next try.
    public mutating func nextDelay<R: RandomNumberGenerator>(using generator: inout R) -> Duration {
        let ceiling = ceilingMilliseconds(afterFailures: failures)
        failures += 1
        let milliseconds = Int64.random(in: 0...ceiling, using: &generator)
        return .milliseconds(milliseconds)
    }

    public mutating func nextDelay() -> Duration {
        var generator = SystemRandomNumberGenerator()
        return nextDelay(using: &generator)
    }

    /// Forgets the failures after a success.
    public mutating func reset() {
        failures = 0
    }

    /// Upper bound of the wait after `count` earlier failures, in milliseconds.
    public func ceilingMilliseconds(afterFailures count: Int) -> Int64 {
        let baseMillis = base.components.seconds * 1000 + base.components.attoseconds / 1_000_000_000_000_000
        let maxMillis = maximum.components.seconds * 1000 + maximum.components.attoseconds / 1_000_000_000_000_000
        let shift = min(count, 20)
        return min(maxMillis, baseMillis << shift)
    }
}
