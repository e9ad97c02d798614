/// The rolling window: the views of the last 60 one-second buckets.
///
/// At time T (Unix seconds, fractional) the window contains the buckets of the
/// seconds floor(T) - 59 through floor(T), the current partial second included.
public enum Window {
    /// Number of one-second buckets summed into a total.
    public static let length: Int64 = 60

    /// Bucket keys expire after about two windows, so a replica that replays
    /// a batch near the window's edge still finds its neighbours' buckets.
    public static let bucketTTLSeconds: Int64 = 2 * length

    /// A replica's sequence key outlives the window by a few minutes, so an
    /// idle replica's last applied batch is still known when it comes back.
    public static let sequenceTTLSeconds: Int64 = 5 * length

    /// Counters not seen for this long leave the active set and their totals expire.
    public static let idleAfterSeconds: Int64 = 2 * length

    /// Returns the first second inside the window that ends at `second`.
    public static func firstSecond(endingAt second: Int64) -> Int64 {
        second - length + 1
    }

    /// Returns the seconds of the window that ends at `second`, oldest first.
    public static func seconds(endingAt second: Int64) -> ClosedRange<Int64> {
        firstSecond(endingAt: second)...second
    }

    /// Returns whether the bucket of second `bucket` counts in the window that ends at `second`.
    public static func contains(_ bucket: Int64, endingAt second: Int64) -> Bool {
        bucket >= firstSecond(endingAt: second) && bucket <= second
    }
}
