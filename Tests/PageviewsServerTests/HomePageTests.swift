import Counting
import Foundation
import Testing
import TestSupport
@testable import PageviewsServer

@Suite struct HomePageTests {
    func render(stale: Bool = false) throws -> String {
        let counter = try CounterName("home")
        let series = (0..<60).map { Int64($0 % 7) }
        let total = CounterTotal(counter: counter, asOfMillis: 1_796_413_200_000, series: series)
        return String(decoding: HomePage.render(total: total, instance: "server-2", stale: stale), as: UTF8.self)
    }

    @Test func pageShowsCountInstanceAndTime() throws {
        let html = try render()

        let views = (0..<60).map { $0 % 7 }.reduce(0, +)
        #expect(html.contains("<p class=\"views\" id=\"views\">\(views)</p>"))
        #expect(html.contains("<strong id=\"instance\">server-2</strong>"))
        #expect(html.contains("<span id=\"as-of\">2026-12-04T19:40:00Z</span>"))
        #expect(html.contains("<span id=\"stale\" class=\"stale\"></span>"))
    }

    /// Counts the bars in the page's SVG chart, without the script's template.
    func barCount(_ html: String) throws -> Int {
        let svgStart = try #require(html.range(of: "<svg id=\"chart\""))
        let svgEnd = try #require(html.range(of: "</svg>"))
        return html[svgStart.lowerBound..<svgEnd.upperBound].components(separatedBy: "<rect ").count - 1
    }

    @Test func chartHasOneBarPerSecond() throws {
        let html = try render()

        #expect(try barCount(html) == 60)
        #expect(html.contains("<title>6</title>"))
    }

    @Test func stalePageSaysSo() throws {
        #expect(try render(stale: true).contains("<span id=\"stale\" class=\"stale\"> (stale)</span>"))
    }

    @Test func scriptRefreshesOnlyVisibleTab() throws {
        let html = try render()

        #expect(html.contains("document.visibilityState !== 'visible'"))
        #expect(html.contains("/api/v1/counters/home?series=1"), "the refresh must use the read API, which counts nothing")
    }

    @Test func servedPageHasNumberWithoutScript() throws {
        let application = try TestReplica.start()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)
        _ = try client.send(method: "GET", path: "/")
        #expect(try TestReplica.waitForViews(client, counter: "home", expected: 1) == 1)

        let page = try client.send(method: "GET", path: "/")
        let html = page.bodyText
        #expect(page.header("content-type") == "text/html; charset=utf-8")
        #expect(html.contains("<p class=\"views\" id=\"views\">1</p>"), "the count must be in the HTML itself")
        #expect(html.contains("<strong id=\"instance\">test-1</strong>"))
        #expect(html.range(of: "<span id=\"as-of\">[0-9-]+T[0-9:]+Z</span>", options: .regularExpression) != nil)
        #expect(try barCount(html) == 60)
    }
}
