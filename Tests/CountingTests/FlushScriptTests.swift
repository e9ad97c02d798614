import Testing
@testable import Counting

@Suite struct FlushScriptTests {
    @Test func keysAndArgumentsLineUp() throws {
        let home = try CounterName("home")
        let replica = ReplicaID(instance: "s", incarnation: "1")
        let delta = CounterDelta(counter: home, buckets: [Bucket(second: 10, count: 3), Bucket(second: 11, count: 4)])
        let request = ApplyRequest(sequence: 9, delta: delta, acknowledged: 8)

        let keys = FlushScript.keys(for: request, replica: replica)
        let arguments = FlushScript.arguments(for: request)
        #expect(keys == ["pv:{home}:seq:s-1", "pv:{home}:s:10", "pv:{home}:s:11"])
        #expect(arguments == ["9", "8", "120", "300", "3", "4"])
        // ARGV[i + 3] pairs with KEYS[i] for i >= 2 in the script.
        #expect(arguments.count == keys.count + 3)
    }

    @Test func outcomeCodesMap() {
        #expect(FlushScript.outcome(code: 0, stored: 1) == .applied)
        #expect(FlushScript.outcome(code: 1, stored: 1) == .duplicate)
        #expect(FlushScript.outcome(code: 2, stored: 4) == .behind(stored: 4))
        #expect(FlushScript.outcome(code: 3, stored: 0) == nil)
    }

    @Test func clockCorrectionIgnoresSmallOffsets() {
        var clock = ClockCorrection(toleranceMillis: 250)
        clock.update(localBefore: 1_000, storeTime: 1_100, localAfter: 1_010)
        #expect(clock.measuredOffsetMillis == 95)
        #expect(clock.storeTime(fromLocal: 5_000) == 5_000)
        clock.update(localBefore: 1_000, storeTime: 6_005, localAfter: 1_010)
        #expect(clock.storeTime(fromLocal: 5_000) == 10_000)
    }
}
