import Testing
@testable import ServiceKit

@Suite struct BackoffTests {
    @Test func ceilingDoublesUpToMaximum() {
        let backoff = Backoff(base: .milliseconds(50), maximum: .seconds(2))
        #expect(backoff.ceilingMilliseconds(afterFailures: 0) == 50)
        #expect(backoff.ceilingMilliseconds(afterFailures: 1) == 100)
        #expect(backoff.ceilingMilliseconds(afterFailures: 5) == 1_600)
        #expect(backoff.ceilingMilliseconds(afterFailures: 6) == 2_000)
        #expect(backoff.ceilingMilliseconds(afterFailures: 500) == 2_000)
    }

    @Test func delaysStayUnderCeilingAndResetClears() {
        var backoff = Backoff(base: .milliseconds(50), maximum: .seconds(2))
        for failure in 0..<10 {
            let delay = backoff.nextDelay()
            let ceiling = backoff.ceilingMilliseconds(afterFailures: failure)
            #expect(delay <= .milliseconds(ceiling))
        }
        #expect(backoff.failures == 10)
        backoff.reset()
        #expect(backoff.failures == 0)
    }

    @Test func iso8601FormatsUTC() {
        #expect(UnixTime.iso8601(millis: 0) == "1970-01-01T00:00:00Z")
        #expect(UnixTime.iso8601(millis: 1_796_413_200_999) == "2026-12-04T19:40:00Z")
    }
}
