import Testing
@testable import Observability

@Suite struct LabelEscapingTests {
    /// Swift treats "\r\n" as one Character; the line feed inside it must still be escaped.
    @Test func lineFeedAfterCarriageReturnIsEscaped() {
        let registry = MetricsRegistry()
        registry.counter("lines_total", help: "Lines.\r\nSecond line.", labels: [("source", "a\r\nb")]).increment()

        let text = registry.render()
        #expect(text.contains("# HELP lines_total Lines.\r\\nSecond line.\n"))
        #expect(text.contains("lines_total{source=\"a\r\\nb\"} 1\n"))
    }
}
