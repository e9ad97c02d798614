import Foundation

/// Short or full length of the chaos scenarios: `swift test` runs the short
/// ones, and `PAGEVIEWS_CHAOS_FULL=1` (set by scripts/chaos) the full ones.
public enum ChaosMode {
    public static var isFull: Bool {
        ProcessInfo.processInfo.environment["PAGEVIEWS_CHAOS_FULL"] == "1"
    }

    /// `short` in the short run, `full` in the full one.
    public static func pick<Value>(short: Value, full: Value) -> Value {
        isFull ? full : short
    }
}
