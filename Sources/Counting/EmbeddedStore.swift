import Synchronization

/// An in-process store with the rules of the Redis one, for a replica that runs alone.
///
/// It keeps per-second buckets and per-replica sequence numbers exactly as
/// the flush script does, and computes a total when it is read, as an
/// aggregator tick would. Safe from any thread: a mutex guards the state.
public final class EmbeddedStore: BatchStore, TotalsStore, Sendable {
    private struct State {
        var buckets: [CounterName: [Int64: Int64]] = [:]
        var sequences: [String: UInt64] = [:]
        var lastSeen: [CounterName: Int64] = [:]
    }

    private let state = Mutex(State())
    private let clock: @Sendable () -> Int64

    /// `clock` returns the store's time in Unix milliseconds.
    public init(clock: @escaping @Sendable () -> Int64) {
        self.clock = clock
    }

    public func apply(_ plan: FlushPlan, replica: ReplicaID, nowSecond: Int64) throws -> [ApplyOutcome] {
        state.withLock { state in
            for counter in plan.activeCounters {
                state.lastSeen[counter] = max(state.lastSeen[counter] ?? 0, nowSecond)
            }
            let outcomes = plan.requests.map { apply($0, replica: replica, to: &state) }
            forgetIdle(&state, now: nowSecond)
            return outcomes
        }
    }

    public func readTotals(of counters: [CounterName]) throws -> TotalsReading {
        let now = clock()
        let lastSecond = CounterTotal.second(ofMillis: now)
        let totals = state.withLock { state in
            var totals: [CounterName: CounterTotal] = [:]
            for counter in counters {
                let buckets = state.buckets[counter] ?? [:]
                let counts = Window.seconds(endingAt: lastSecond).map { buckets[$0] }
                totals[counter] = CounterTotal.summing(counter, bucketCounts: counts, asOfMillis: now)
            }
            return totals
        }
        return TotalsReading(storeTimeMillis: now, totals: totals)
    }

    /// Forgets everything, as a Redis restart without persistence would.
    public func removeAll() {
        state.withLock { $0 = State() }
    }

    private func apply(_ request: ApplyRequest, replica: ReplicaID, to state: inout State) -> ApplyOutcome {
        let key = KeySchema.sequence(request.delta.counter, replica: replica)
        let stored = state.sequences[key] ?? 0
        if stored < request.acknowledged {
            return .behind(stored: stored)
        }
        if request.sequence <= stored {
            return .duplicate
        }
        for bucket in request.delta.buckets {
            state.buckets[request.delta.counter, default: [:]][bucket.second, default: 0] += bucket.count
        }
        state.sequences[key] = request.sequence
        return .applied
    }

    /// Drops buckets older than their time to live and counters idle for two
    /// windows, so memory stays bounded as in Redis.
    private func forgetIdle(_ state: inout State, now: Int64) {
        let oldestBucket = now - Window.bucketTTLSeconds
        for (counter, buckets) in state.buckets where buckets.keys.contains(where: { $0 < oldestBucket }) {
            state.buckets[counter] = buckets.filter { $0.key >= oldestBucket }
        }
        let idle = state.lastSeen.filter { $0.value < now - Window.idleAfterSeconds }.map(\.key)
        for counter in idle {
            state.lastSeen[counter] = nil
            state.buckets[counter] = nil
            state.sequences = state.sequences.filter { !$0.key.hasPrefix("pv:{\(counter.rawValue)}:") }
        }
    }
}
