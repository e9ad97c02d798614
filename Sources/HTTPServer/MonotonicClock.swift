import Glibc

/// Reads CLOCK_MONOTONIC in nanoseconds; cheaper than `ContinuousClock` on the
/// hot path, and immune to wall-clock changes.
enum MonotonicClock {
    static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
