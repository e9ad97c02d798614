import Testing
@testable import Counting

@Suite struct ClockCorrectionTests {
    @Test func slowRoundTripDoesNotMoveOffset() {
        var clock = ClockCorrection()
        clock.update(localBefore: 1_000, storeTime: 6_001, localAfter: 1_002)
        // Descheduled for 180 ms after the store replied: the midpoint is 90 ms late.
        clock.update(localBefore: 2_000, storeTime: 7_001, localAfter: 2_182)
        #expect(clock.measuredOffsetMillis == 5_000)
        #expect(clock.storeTime(fromLocal: 10_000) == 15_000)
    }

    @Test func clockStepIsFollowedWithinSampleCount() {
        var clock = ClockCorrection()
        clock.update(localBefore: 1_000, storeTime: 1_501, localAfter: 1_002)
        for round in Int64(1)...Int64(ClockCorrection.sampleCount) {
            let before = 1_000 + round * 200
            clock.update(localBefore: before, storeTime: before - 4_998, localAfter: before + 4)
        }
        #expect(clock.measuredOffsetMillis == -5_000)
    }

    @Test func newestOfEqualRoundTripsWins() {
        var clock = ClockCorrection()
        clock.update(localBefore: 1_000, storeTime: 1_305, localAfter: 1_010)
        clock.update(localBefore: 2_000, storeTime: 2_405, localAfter: 2_010)
        #expect(clock.measuredOffsetMillis == 400)
        #expect(clock.appliedOffsetMillis == 400)
    }
}
