import Testing
@testable import Counting

/// The planner against the embedded store, which follows the flush script's rules.
@Suite struct FlushPlannerTests {
    let home = try! CounterName("home")
    let replica = ReplicaID(instance: "server-1", incarnation: "0001")

    func makeStore(nowMillis: Int64 = 100_000) -> EmbeddedStore {
        EmbeddedStore(clock: { nowMillis })
    }

    func total(_ store: EmbeddedStore) throws -> Int64 {
        try store.readTotals(of: [home]).totals[home]?.views ?? -1
    }

    @Test func firstBatchGetsSequenceOne() {
        var planner = FlushPlanner()
        var buffer = DeltaBuffer()
        buffer.record(home, second: 100)
        let plan = planner.plan(draining: &buffer, now: 100)
        #expect(plan.requests.map(\.sequence) == [1])
        #expect(plan.requests.first?.acknowledged == 0)
        #expect(plan.activeCounters == [home])
    }

    @Test func emptyBufferPlansNothing() {
        var planner = FlushPlanner()
        var buffer = DeltaBuffer()
        #expect(planner.plan(draining: &buffer, now: 100).isEmpty)
        #expect(!planner.hasWork)
    }

    @Test func retryAfterLostReplyIsAppliedOnce() throws {
        let store = makeStore()
        var planner = FlushPlanner()
        var buffer = DeltaBuffer()
        buffer.record(home, second: 100, count: 3)

        let first = planner.plan(draining: &buffer, now: 100)
        _ = try store.apply(first, replica: replica, nowSecond: 100)
        // The reply was lost: the planner hears nothing and plans again.
        buffer.record(home, second: 100, count: 2)
        let retry = planner.plan(draining: &buffer, now: 100)
        #expect(retry.requests == first.requests)

        let outcomes = try store.apply(retry, replica: replica, nowSecond: 100)
        #expect(outcomes == [.duplicate])
        let report = planner.complete(retry, outcomes: outcomes)
        #expect(report.acknowledgedBatch == 1)
        #expect(try total(store) == 3)

        let next = planner.plan(draining: &buffer, now: 100)
        #expect(next.requests.map(\.sequence) == [2])
        #expect(next.requests.first?.acknowledged == 1)
        _ = planner.complete(next, outcomes: try store.apply(next, replica: replica, nowSecond: 100))
        #expect(try total(store) == 5)
    }

    @Test func storeDataLossReplaysJournal() throws {
        let store = makeStore()
        var planner = FlushPlanner()
        var buffer = DeltaBuffer()
        for second in Int64(95)...97 {
            buffer.record(home, second: second, count: 10)
            let plan = planner.plan(draining: &buffer, now: second)
            _ = planner.complete(plan, outcomes: try store.apply(plan, replica: replica, nowSecond: second))
        }
        #expect(try total(store) == 30)

        store.removeAll()
        buffer.record(home, second: 98, count: 1)
        let afterLoss = planner.plan(draining: &buffer, now: 98)
        let outcomes = try store.apply(afterLoss, replica: replica, nowSecond: 98)
        #expect(outcomes == [.behind(stored: 0)])
        let lossReport = planner.complete(afterLoss, outcomes: outcomes)
        #expect(lossReport.behindCounters == [home])
        #expect(try total(store) == 0)

        let replay = planner.plan(draining: &buffer, now: 98)
        #expect(replay.requests.map(\.sequence) == [1, 2, 3, 4])
        #expect(replay.requests.allSatisfy { $0.acknowledged == 0 })
        let report = planner.complete(replay, outcomes: try store.apply(replay, replica: replica, nowSecond: 98))
        #expect(report.replayedRequests == 4)
        #expect(report.acknowledgedBatch == 4)
        #expect(try total(store) == 31)
        #expect(!planner.hasWork)
    }

    @Test func replayAfterPartialLossSkipsAppliedBatches() throws {
        let store = makeStore()
        var planner = FlushPlanner()
        var buffer = DeltaBuffer()
        buffer.record(home, second: 99, count: 10)
        let plan = planner.plan(draining: &buffer, now: 99)
        _ = planner.complete(plan, outcomes: try store.apply(plan, replica: replica, nowSecond: 99))

        // A replay that reaches a store which still has batch 1 adds nothing twice.
        buffer.record(home, second: 100, count: 1)
        let next = planner.plan(draining: &buffer, now: 100)
        let behind = ApplyOutcome.behind(stored: 0)
        _ = planner.complete(next, outcomes: [behind])
        let replay = planner.plan(draining: &buffer, now: 100)
        let outcomes = try store.apply(replay, replica: replica, nowSecond: 100)
        #expect(outcomes == [.duplicate, .applied])
        _ = planner.complete(replay, outcomes: outcomes)
        #expect(try total(store) == 11)
    }

    @Test func viewsOutsideWindowAreDroppedAndCounted() throws {
        var planner = FlushPlanner()
        var buffer = DeltaBuffer()
        buffer.record(home, second: 100, count: 7)
        let plan = planner.plan(draining: &buffer, now: 100)
        #expect(plan.requests.count == 1)

        // The store stays unreachable until the views leave the window.
        buffer.record(home, second: 150, count: 2)
        let later = planner.plan(draining: &buffer, now: 160)
        #expect(later.droppedViews == 7)
        #expect(later.requests.map(\.sequence) == [2])
        #expect(later.requests.first?.delta.viewCount == 2)
    }

    @Test func journalForgetsBatchesOutsideWindow() throws {
        let store = makeStore()
        var planner = FlushPlanner()
        var buffer = DeltaBuffer()
        buffer.record(home, second: 100)
        let plan = planner.plan(draining: &buffer, now: 100)
        _ = planner.complete(plan, outcomes: try store.apply(plan, replica: replica, nowSecond: 100))
        #expect(planner.journalCount == 1)
        _ = planner.plan(draining: &buffer, now: 160)
        #expect(planner.journalCount == 0)
    }

    @Test func countersAreAcknowledgedSeparately() throws {
        let other = try CounterName("other")
        var planner = FlushPlanner()
        var buffer = DeltaBuffer()
        buffer.record(home, second: 100)
        buffer.record(other, second: 100)
        let plan = planner.plan(draining: &buffer, now: 100)
        let report = planner.complete(plan, outcomes: [.applied, .behind(stored: 0)])
        #expect(report.acknowledgedBatch == nil)
        let replay = planner.plan(draining: &buffer, now: 100)
        #expect(replay.requests.map(\.delta.counter) == [other])
    }
}
