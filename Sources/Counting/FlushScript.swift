/// The Lua script that applies one counter's part of a batch in Redis, and
/// the encoding of its keys and arguments.
///
/// All keys it touches share the counter's hash tag, so it runs unchanged on
/// Redis Cluster. Reply: `{code, stored}` where code 0 is applied, 1 is
/// duplicate (the counter's sequence number is already at or past the batch),
/// 2 is behind (the stored sequence number is lower than the one the replica
/// saw acknowledged, so Redis lost data), and `stored` is the sequence number
/// found before the call.
///
/// A bucket gets its expiry only when the script creates it (INCRBY returns
/// the delta itself, since counts are positive): its second is fixed, so the
/// expiry from creation is enough, and it saves one command per bucket per flush.
public enum FlushScript {
    public static let source = """
        local stored = tonumber(redis.call('GET', KEYS[1]) or '0')
        local sequence = tonumber(ARGV[1])
        if stored < tonumber(ARGV[2]) then
          return {2, stored}
        end
        if sequence <= stored then
          return {1, stored}
        end
        for i = 2, #KEYS do
          if redis.call('INCRBY', KEYS[i], ARGV[i + 3]) == tonumber(ARGV[i + 3]) then
            redis.call('EXPIRE', KEYS[i], ARGV[3])
          end
        end
        redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[4])
        return {0, stored}
        """

    /// Keys: the sequence key, then one bucket key per bucket.
    public static func keys(for request: ApplyRequest, replica: ReplicaID) -> [String] {
        let counter = request.delta.counter
        let buckets = request.delta.buckets.map { KeySchema.bucket(counter, second: $0.second) }
        return [KeySchema.sequence(counter, replica: replica)] + buckets
    }

    /// Arguments: sequence, last acknowledged sequence, bucket TTL, sequence
    /// TTL (both in seconds), then one count per bucket key.
    public static func arguments(for request: ApplyRequest) -> [String] {
        let header = [
            String(request.sequence), String(request.acknowledged),
            String(Window.bucketTTLSeconds), String(Window.sequenceTTLSeconds),
        ]
        return header + request.delta.buckets.map { String($0.count) }
    }

    /// Maps the script's reply `{code, stored}`; returns nil for any other reply.
    public static func outcome(code: Int64, stored: Int64) -> ApplyOutcome? {
        switch code {
        case 0: .applied
        case 1: .duplicate
        case 2 where stored >= 0: .behind(stored: UInt64(stored))
        default: nil
        }
    }
}
