/// Redis key names shared by the replicas and the aggregator.
///
/// Every key of one counter carries the hash tag `{<counter>}`, so a script
/// that touches a counter's keys stays inside one Redis Cluster slot.
public enum KeySchema {
    /// Sorted set of counters seen recently, scored by last-seen Unix second.
    public static let activeCounters = "pv:counters"

    /// Views of `counter` during Unix second `second`.
    public static func bucket(_ counter: CounterName, second: Int64) -> String {
        "pv:{\(counter.rawValue)}:s:\(second)"
    }

    /// Prefix of the bucket keys of `counter`; the Unix second follows it.
    public static func bucketPrefix(_ counter: CounterName) -> String {
        "pv:{\(counter.rawValue)}:s:"
    }

    /// Last batch sequence number of `replica` applied to `counter`.
    public static func sequence(_ counter: CounterName, replica: ReplicaID) -> String {
        "pv:{\(counter.rawValue)}:seq:\(replica.rawValue)"
    }

    /// Rolling total of `counter`, written by the aggregator.
    public static func total(_ counter: CounterName) -> String {
        "pv:{\(counter.rawValue)}:total"
    }
}
