/// The replica's side of the exactly-once flush protocol, as a value with no I/O.
///
/// Each round the flusher asks for a plan, sends its requests to the store in
/// one pipeline, and reports the outcomes back. A plan that fails (timeout,
/// dropped connection, error reply) is simply planned again: the pending
/// batch keeps its sequence number and content, so the store applies it at
/// most once. Acknowledged batches stay in a journal for one window, so the
/// planner can replay them when the store turns out to have lost data.
///
/// A counter's loss shows in its next batch, which carries the sequence
/// number last acknowledged for it. A counter that gets no new views has
/// no next batch, so after a reconnect the owner calls `verifyStore()` and
/// the planner probes every counter with journaled batches.
public struct FlushPlanner: Sendable {
    /// Sequence number the next new batch gets; the first batch is 1.
    public private(set) var nextSequence: UInt64 = 1

    /// The batch being sent, with the counters the store has not acknowledged yet.
    private var pending: (batch: FlushBatch, unacknowledged: Set<CounterName>)?

    /// Acknowledged batches whose newest second is still inside the window, oldest first.
    private var journal: [FlushBatch] = []

    /// Per counter, the highest sequence number the store acknowledged.
    private var acknowledged: [CounterName: UInt64] = [:]

    /// Per counter, the store's sequence number when it was found behind;
    /// the batches after it are replayed before the counter moves on.
    private var replays: [CounterName: UInt64] = [:]

    /// Counters whose last acknowledged batch the store has to confirm it still holds.
    private var unverified = Set<CounterName>()

    public init() {}

    /// Whether a batch is waiting for acknowledgement, or a replay or a probe is outstanding.
    public var hasWork: Bool { pending != nil || !replays.isEmpty || !unverified.isEmpty }

    /// Number of acknowledged batches kept for replays.
    public var journalCount: Int { journal.count }

    /// Views in the pending batch, which the store has not acknowledged in full.
    public var pendingViewCount: Int64 { pending?.batch.viewCount ?? 0 }

    /// Asks the next rounds to check, for every counter with batches in the
    /// journal, that the store still has the last one acknowledged.
    ///
    /// Call it whenever the store may have lost data without this replica
    /// sending anything, such as after any reconnect: a restarted Redis
    /// comes back empty. Each check is a probe, a request with no buckets
    /// to which the store replies `.duplicate` or, after a loss, `.behind`.
    public mutating func verifyStore() {
        unverified = Set(acknowledged.keys)
    }

    /// Plans the next round at Unix second `now`.
    ///
    /// When no batch is pending, the content of `buffer` becomes a new batch.
    /// Views of seconds that have left the window are removed from the buffer
    /// and the pending batch and returned in `droppedViews`, because no total
    /// can include them any more. Returns a plan with no requests when there
    /// is nothing to send.
    public mutating func plan(draining buffer: inout DeltaBuffer, now: Int64) -> FlushPlan {
        let firstSecond = Window.firstSecond(endingAt: now)
        var dropped = buffer.dropSeconds(before: firstSecond)
        dropped += dropExpiredPendingViews(before: firstSecond)
        journal.removeAll { $0.newestSecond < firstSecond }
        forgetCountersOutsideJournal()

        if pending == nil && !buffer.isEmpty {
            let batch = FlushBatch(sequence: nextSequence, deltas: buffer.drain())
            nextSequence += 1
            pending = (batch, Set(batch.deltas.map(\.counter)))
        }

        let replayed = replayRequests(from: firstSecond)
        let requests = replayed + pendingRequests() + probeRequests()
        var counters = Set(replayed.map(\.delta.counter))
        counters.formUnion(pending?.unacknowledged ?? [])
        return FlushPlan(requests: requests, activeCounters: counters.sorted(), droppedViews: dropped)
    }

    /// Records the store's outcome for each request of `plan`, in the same order.
    ///
    /// Call it only when every request got an outcome; after a failed round,
    /// call nothing and plan again.
    public mutating func complete(_ plan: FlushPlan, outcomes: [ApplyOutcome]) -> FlushReport {
        precondition(plan.requests.count == outcomes.count, "one outcome per request")

        var report = FlushReport()
        var replayed = Set<CounterName>()
        for (request, outcome) in zip(plan.requests, outcomes) {
            record(request, outcome, into: &report)
            if request.acknowledged == 0, replays[request.delta.counter] != nil {
                replayed.insert(request.delta.counter)
            }
        }
        for counter in replayed where !report.behindCounters.contains(counter) {
            replays[counter] = nil
        }

        if let current = pending, current.unacknowledged.isEmpty {
            journal.append(current.batch)
            report.acknowledgedBatch = current.batch.sequence
            pending = nil
        }
        return report
    }

    private mutating func record(_ request: ApplyRequest, _ outcome: ApplyOutcome, into report: inout FlushReport) {
        let counter = request.delta.counter
        if request.isProbe {
            unverified.remove(counter)
            if case .behind(let stored) = outcome {
                replays[counter] = stored
                report.behindCounters.insert(counter)
            }
            return
        }
        switch outcome {
        case .applied, .duplicate:
            acknowledged[counter] = max(acknowledged[counter] ?? 0, request.sequence)
            if pending?.batch.sequence == request.sequence {
                pending?.unacknowledged.remove(counter)
            }
            if outcome == .applied {
                report.appliedViews += request.delta.viewCount
            } else {
                report.duplicateRequests += 1
            }
            if replays[counter] != nil {
                report.replayedRequests += 1
            }
        case .behind(let stored):
            replays[counter] = stored
            report.behindCounters.insert(counter)
        }
    }

    /// Requests that re-send, in sequence order, every batch after the store's
    /// sequence number for each counter being replayed. A replay skips the
    /// data-loss check (acknowledged 0) but keeps the sequence check, so a
    /// batch the store still has is not added twice.
    /// A counter with nothing left to replay inside the window leaves the replay set.
    private mutating func replayRequests(from firstSecond: Int64) -> [ApplyRequest] {
        var requests: [ApplyRequest] = []
        for (counter, stored) in replays.sorted(by: { $0.key < $1.key }) {
            let countBefore = requests.count
            defer {
                if requests.count == countBefore { replays[counter] = nil }
            }

            var batches = journal.filter { $0.sequence > stored }
            if let current = pending, current.unacknowledged.contains(counter) {
                batches.append(current.batch)
            }
            for batch in batches {
                guard let delta = batch.delta(for: counter)?.keeping(from: firstSecond) else { continue }
                requests.append(ApplyRequest(sequence: batch.sequence, delta: delta, acknowledged: 0))
            }
        }
        return requests
    }

    private func pendingRequests() -> [ApplyRequest] {
        guard let current = pending else { return [] }
        return current.batch.deltas.compactMap { delta in
            guard current.unacknowledged.contains(delta.counter), replays[delta.counter] == nil else {
                return nil
            }
            let last = acknowledged[delta.counter] ?? 0
            return ApplyRequest(sequence: current.batch.sequence, delta: delta, acknowledged: last)
        }
    }

    /// Probes for the unverified counters that no other request of the
    /// round checks: a pending request carries the same check, and a
    /// counter being replayed is known to be behind already.
    private func probeRequests() -> [ApplyRequest] {
        unverified.sorted().compactMap { counter in
            guard let last = acknowledged[counter], replays[counter] == nil,
                pending?.unacknowledged.contains(counter) != true
            else { return nil }
            return ApplyRequest.probe(counter, acknowledged: last)
        }
    }

    /// Forgets the acknowledged sequence number of counters with no batch in
    /// the journal or pending: nothing of theirs is left to replay, so a loss
    /// need not be detected, and the map stays bounded by the window.
    private mutating func forgetCountersOutsideJournal() {
        var kept = Set(pending?.batch.deltas.map(\.counter) ?? [])
        for batch in journal {
            kept.formUnion(batch.deltas.map(\.counter))
        }
        acknowledged = acknowledged.filter { kept.contains($0.key) }
        unverified.formIntersection(acknowledged.keys)
    }

    /// Removes buckets that left the window from the pending batch; a counter
    /// left with no bucket counts as acknowledged, since there is nothing to send.
    private mutating func dropExpiredPendingViews(before firstSecond: Int64) -> Int64 {
        guard let current = pending else { return 0 }

        var dropped: Int64 = 0
        var kept: [CounterDelta] = []
        var unacknowledged = current.unacknowledged
        for delta in current.batch.deltas {
            let trimmed = delta.keeping(from: firstSecond)
            if current.unacknowledged.contains(delta.counter) {
                dropped += delta.viewCount - (trimmed?.viewCount ?? 0)
            }
            if let trimmed {
                kept.append(trimmed)
            } else {
                unacknowledged.remove(delta.counter)
            }
        }
        guard dropped > 0 || kept.count != current.batch.deltas.count else { return 0 }

        pending = (FlushBatch(sequence: current.batch.sequence, deltas: kept), unacknowledged)
        if unacknowledged.isEmpty {
            pending = nil
        }
        return dropped
    }
}

/// The requests of one flush round, to send in one pipeline in this order.
public struct FlushPlan: Sendable {
    public let requests: [ApplyRequest]
    /// Counters that this round adds views to (the pending batch's and the
    /// replayed ones), to mark as seen in the active-counter set.
    public let activeCounters: [CounterName]
    /// Views removed because their second left the window before they were acknowledged.
    public let droppedViews: Int64

    public var isEmpty: Bool { requests.isEmpty }
}

/// The result of one completed round, for logs and metrics.
public struct FlushReport: Sendable {
    /// Sequence number of the batch that became fully acknowledged in this round.
    public var acknowledgedBatch: UInt64?
    public var appliedViews: Int64 = 0
    /// Requests the store had applied before: retries whose first reply was lost.
    public var duplicateRequests = 0
    public var replayedRequests = 0
    /// Counters the store was found behind on; their replay is planned next round.
    public var behindCounters = Set<CounterName>()
}
