import Testing
@testable import Counting

/// `FlushPlanner.verifyStore()`: after a reconnect, probes find a store
/// that lost the batches of counters that get no new views.
@Suite struct FlushPlannerVerificationTests {
    let home = try! CounterName("home")
    let replica = ReplicaID(instance: "server-1", incarnation: "0001")

    /// Makes a planner whose batch 1 (3 views of `home` in second 97) the store acknowledged.
    func flushedPlanner(_ store: EmbeddedStore) throws -> FlushPlanner {
        var planner = FlushPlanner()
        var buffer = DeltaBuffer()
        buffer.record(home, second: 97, count: 3)
        let plan = planner.plan(draining: &buffer, now: 97)
        _ = planner.complete(plan, outcomes: try store.apply(plan, replica: replica, nowSecond: 97))
        return planner
    }

    func total(_ store: EmbeddedStore) throws -> Int64 {
        try store.readTotals(of: [home]).totals[home]?.views ?? -1
    }

    @Test func probeFindsLossOfIdleCounter() throws {
        let store = EmbeddedStore(clock: { 100_000 })
        var planner = try flushedPlanner(store)
        var buffer = DeltaBuffer()
        store.removeAll()

        planner.verifyStore()
        let probe = planner.plan(draining: &buffer, now: 99)
        #expect(probe.requests == [ApplyRequest.probe(home, acknowledged: 1)])
        #expect(probe.activeCounters.isEmpty)
        let outcomes = try store.apply(probe, replica: replica, nowSecond: 99)
        #expect(outcomes == [.behind(stored: 0)])
        let report = planner.complete(probe, outcomes: outcomes)
        #expect(report.behindCounters == [home])

        let replay = planner.plan(draining: &buffer, now: 99)
        #expect(replay.requests.map(\.sequence) == [1])
        #expect(replay.activeCounters == [home])
        _ = planner.complete(replay, outcomes: try store.apply(replay, replica: replica, nowSecond: 99))
        #expect(try total(store) == 3)
        #expect(!planner.hasWork)
    }

    @Test func probeOfIntactStoreAddsNothing() throws {
        let store = EmbeddedStore(clock: { 100_000 })
        var planner = try flushedPlanner(store)
        var buffer = DeltaBuffer()

        planner.verifyStore()
        #expect(planner.hasWork)
        let probe = planner.plan(draining: &buffer, now: 99)
        let outcomes = try store.apply(probe, replica: replica, nowSecond: 99)
        let report = planner.complete(probe, outcomes: outcomes)

        #expect(outcomes == [.duplicate])
        #expect(report.duplicateRequests == 0)
        #expect(report.behindCounters.isEmpty)
        #expect(!planner.hasWork)
        #expect(planner.plan(draining: &buffer, now: 99).isEmpty)
        #expect(try total(store) == 3)
    }

    @Test func failedProbeIsPlannedAgain() throws {
        let store = EmbeddedStore(clock: { 100_000 })
        var planner = try flushedPlanner(store)
        var buffer = DeltaBuffer()

        planner.verifyStore()
        let first = planner.plan(draining: &buffer, now: 99)
        // The round failed: nothing is reported and the same probe goes out again.
        let second = planner.plan(draining: &buffer, now: 99)
        #expect(second.requests == first.requests)
    }

    @Test func pendingCounterNeedsNoProbe() throws {
        let store = EmbeddedStore(clock: { 100_000 })
        var planner = try flushedPlanner(store)
        var buffer = DeltaBuffer()
        buffer.record(home, second: 99, count: 1)

        planner.verifyStore()
        let plan = planner.plan(draining: &buffer, now: 99)
        #expect(plan.requests.map(\.isProbe) == [false])
        #expect(plan.requests.first?.acknowledged == 1)
    }

    @Test func countersOutsideWindowAreForgotten() throws {
        let store = EmbeddedStore(clock: { 100_000 })
        var planner = try flushedPlanner(store)
        var buffer = DeltaBuffer()
        _ = planner.plan(draining: &buffer, now: 157)
        store.removeAll()

        planner.verifyStore()
        #expect(planner.plan(draining: &buffer, now: 157).isEmpty)
        buffer.record(home, second: 157, count: 2)
        let next = planner.plan(draining: &buffer, now: 157)
        // Nothing of batch 1 is left to replay, so the new batch skips the loss check.
        #expect(next.requests.first?.acknowledged == 0)
        #expect(try store.apply(next, replica: replica, nowSecond: 157) == [.applied])
    }
}
