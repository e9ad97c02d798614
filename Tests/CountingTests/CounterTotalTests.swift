import Testing
@testable import Counting

@Suite struct CounterTotalTests {
    @Test func summingTreatsMissingBucketsAsZero() throws {
        let counter = try CounterName("home")
        var counts: [Int64?] = Array(repeating: nil, count: 60)
        counts[0] = 5
        counts[59] = 7
        let total = CounterTotal.summing(counter, bucketCounts: counts, asOfMillis: 60_500)
        #expect(total.views == 12)
        #expect(total.series.first == 5)
        #expect(total.series.last == 7)
        #expect(total.lastSecond == 60)
    }

    @Test func encodingRoundTrips() throws {
        let counter = try CounterName("home")
        let series = (0..<60).map { Int64($0) }
        let total = CounterTotal(counter: counter, asOfMillis: 1_700_000_000_123, series: series)
        let decoded = try #require(CounterTotal(counter: counter, encoded: total.encoded()))
        #expect(decoded == total)
    }

    @Test(arguments: ["", "2 1 0 " + Array(repeating: "0", count: 60).joined(separator: ","), "1 x 0 0", "1 5 1 0,0"])
    func decodingRejectsForeignValues(_ value: String) throws {
        let counter = try CounterName("home")
        #expect(CounterTotal(counter: counter, encoded: value) == nil)
    }

    @Test func decodingRejectsInconsistentSum() throws {
        let counter = try CounterName("home")
        let value = "1 5 9 " + Array(repeating: "0", count: 60).joined(separator: ",")
        #expect(CounterTotal(counter: counter, encoded: value) == nil)
    }
}
