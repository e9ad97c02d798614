import Counting
import Testing
@testable import PageviewsServer

@Suite struct TotalsCacheTests {
    @Test func readsTrackCountersUpToLimit() throws {
        let cache = TotalsCache(maxCounters: 2)
        #expect(cache.track(try CounterName("a"), now: 100))
        #expect(cache.track(try CounterName("b"), now: 100))
        #expect(!cache.track(try CounterName("c"), now: 100))
        #expect(cache.trackedCounters(now: 100).map(\.rawValue) == ["a", "b"])
    }

    @Test func unusedCountersAreForgottenAfterWindow() throws {
        let cache = TotalsCache(maxCounters: 10)
        _ = cache.total(of: try CounterName("old"), now: 100)
        _ = cache.total(of: try CounterName("new"), now: 150)
        #expect(cache.trackedCounters(now: 160).map(\.rawValue) == ["new"])
    }

    @Test func updateStoresTotalsOfTrackedCounters() throws {
        let cache = TotalsCache(maxCounters: 10)
        let home = try CounterName("home")
        #expect(cache.total(of: home, now: 100) == nil)
        let total = CounterTotal(counter: home, asOfMillis: 100_000, series: Array(repeating: 1, count: 60))
        cache.update(with: [home: total], refreshedAt: 100_050)
        #expect(cache.total(of: home, now: 100) == total)
        #expect(cache.lastRefreshMillis == 100_050)
    }
}

@Suite struct ViewRecorderTests {
    @Test func takeBufferReturnsCountsPerSecond() throws {
        let recorder = ViewRecorder(maxCounters: 10)
        let home = try CounterName("home")
        let other = try CounterName("other")
        for second: Int64 in [100, 100, 101, 100, 101] {
            #expect(recorder.record(home, second: second) == .recorded)
        }
        #expect(recorder.record(other, second: 101) == .recorded)

        var buffer = recorder.takeBuffer()
        let deltas = buffer.drain()
        #expect(deltas.map(\.counter) == [home, other])
        #expect(deltas.first?.buckets == [Bucket(second: 100, count: 3), Bucket(second: 101, count: 2)])
        #expect(recorder.takeBuffer().isEmpty)
    }

    @Test func idleCounterWithUntakenViewsIsKept() throws {
        let recorder = ViewRecorder(maxCounters: 1)
        let home = try CounterName("home")
        #expect(recorder.record(home, second: 10) == .recorded)
        #expect(recorder.forgetIdleCounters(now: 200) == 1)
        #expect(recorder.takeBuffer().viewCount == 1)
        #expect(recorder.forgetIdleCounters(now: 200) == 0)
    }
}

@Suite struct ServedTotalTests {
    @Test func rendererBodiesServedFreshAndStale() throws {
        let cache = TotalsCache(maxCounters: 10) { total, asOf, stale in
            Array("\(total.views) \(asOf) \(stale)".utf8)
        }
        let home = try CounterName("home")
        #expect(cache.servedTotal(of: home, now: 100) == nil)
        let total = CounterTotal(counter: home, asOfMillis: 1_796_413_200_000, series: Array(repeating: 1, count: 60))
        cache.update(with: [home: total], refreshedAt: 100_050)

        let served = try #require(cache.servedTotal(of: home, now: 100))
        #expect(served.asOf == "2026-12-04T19:40:00Z")
        #expect(served.bodies?.fresh == Array("60 2026-12-04T19:40:00Z false".utf8))
        #expect(served.bodies?.stale == Array("60 2026-12-04T19:40:00Z true".utf8))
    }
}
