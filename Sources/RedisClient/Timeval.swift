import Glibc

/// Converts a `Duration` to the `timeval` that hiredis takes, rounded down to
/// microseconds and at least 1 ms, because a zero `SO_RCVTIMEO` means no timeout.
func makeTimeval(_ duration: Duration) -> timeval {
    let (seconds, attoseconds) = duration.components
    let clamped = seconds < 0 || (seconds == 0 && attoseconds < 1_000_000_000_000_000)
    if clamped {
        return Glibc.timeval(tv_sec: 0, tv_usec: 1_000)
    }
    return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
}
