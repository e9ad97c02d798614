import Counting
import Testing
@testable import PageviewsServer

@Suite struct TotalsCacheTests {
    @Test func readsTrackCountersUpToLimit() throws {
        let cache = TotalsCache(maxCounters: 2)
        _ = cache.total(of: try CounterName("a"), now: 100)
        _ = cache.total(of: try CounterName("b"), now: 100)
        _ = cache.total(of: try CounterName("c"), now: 100)
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
