/// How `ClusterFixture.start(_:)` builds a cluster.
public struct ClusterOptions: Sendable {
    public var replicas = 3
    /// Starts HAProxy with deploy/haproxy.cfg in front of the replicas.
    public var withBalancer = true
    /// Settings added to every replica's environment, such as `FLUSH_INTERVAL_MS`.
    public var serverEnvironment: [String: String] = [:]
    /// Arguments added to redis-server's command line, such as `--enable-debug-command yes`.
    public var redisArguments: [String] = []
    /// Replicas reach Redis through a `FaultProxy` (`ClusterFixture.proxy`);
    /// the aggregators always connect directly.
    public var throughProxy = false
    /// Seed of the proxy's fault schedule.
    public var proxySeed: UInt64 = 1
    /// libfaketime offsets such as `+5s` or `-5s`, by replica index.
    public var replicaClockOffsets: [Int: String] = [:]
    /// One entry per aggregator to start: nil runs it on the real clock,
    /// a string such as `+5s` under libfaketime.
    public var aggregatorClockOffsets: [String?] = [nil]

    public init() {}
}
