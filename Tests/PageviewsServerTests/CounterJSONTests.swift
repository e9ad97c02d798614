import Counting
import Foundation
import Testing
@testable import PageviewsServer

@Suite struct CounterJSONTests {
    @Test func bodyHasTheDocumentedFields() throws {
        let counter = try CounterName("home")
        let total = CounterTotal(counter: counter, asOfMillis: 1_796_413_200_000, series: Array(repeating: 1, count: 60))
        let body = CounterJSON.body(counter: counter, total: total, instance: "server-2", stale: false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(object["counter"] as? String == "home")
        #expect(object["views_last_60s"] as? Int == 60)
        #expect(object["instance"] as? String == "server-2")
        #expect(object["as_of"] as? String == "2026-12-04T19:40:00Z")
        #expect(object["stale"] as? Bool == false)
        #expect(object["series"] == nil)
    }

    @Test func unknownTotalIsZeroAndStale() throws {
        let counter = try CounterName("new")
        let body = CounterJSON.body(counter: counter, total: nil, instance: "s", stale: true, includeSeries: true)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(object["views_last_60s"] as? Int == 0)
        #expect(object["as_of"] is NSNull)
        #expect((object["series"] as? [Int])?.count == 60)
    }

    @Test func errorMessageIsEscaped() throws {
        let body = CounterJSON.error("bad \"name\"\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(object["error"] as? String == "bad \"name\"\n")
    }

    @Test func recorderRejectsNewCounterPastLimit() throws {
        let recorder = ViewRecorder(maxCounters: 2)
        #expect(recorder.record(try CounterName("a"), second: 10) == .recorded)
        #expect(recorder.record(try CounterName("b"), second: 10) == .recorded)
        #expect(recorder.record(try CounterName("c"), second: 10) == .tooManyCounters)
        #expect(recorder.record(try CounterName("a"), second: 10) == .recorded)
        #expect(recorder.takeBuffer().viewCount == 3)
        // A whole window later the idle counters are forgotten and the limit frees up.
        recorder.forgetIdleCounters(now: 70)
        #expect(recorder.record(try CounterName("c"), second: 70) == .recorded)
    }
}
