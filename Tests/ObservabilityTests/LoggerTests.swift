import Testing
@testable import Observability

@Suite struct LoggerTests {
    /// The part of a logfmt line after its `time=…` field, without the newline.
    func withoutTime(_ line: String) -> String {
        let trimmed = line.hasSuffix("\n") ? String(line.dropLast()) : line
        guard let space = trimmed.firstIndex(of: " ") else { return trimmed }
        return String(trimmed[trimmed.index(after: space)...])
    }

    @Test func lineHasLevelLabelMessageAndFields() throws {
        let sink = MemorySink()
        let logger = Logger(label: "pageviews.test", sink: sink)
        logger.info("server started", ["port": "8080"])

        let line = try #require(sink.lines.first)
        #expect(line.hasPrefix("time="))
        #expect(line.hasSuffix("\n"))
        #expect(withoutTime(line) == "level=info label=pageviews.test msg=\"server started\" port=8080")
    }

    @Test func timestampIsRFC3339WithMilliseconds() throws {
        let sink = MemorySink()
        Logger(label: "t", sink: sink).info("x")

        let line = try #require(sink.lines.first)
        let time = try #require(line.split(separator: " ").first).dropFirst("time=".count)
        #expect(time.count == "2026-12-04T19:40:00.123Z".count)
        #expect(time.hasSuffix("Z"))
        #expect(time.dropFirst(10).first == "T")
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("", "\"\""),
        ("two words", "\"two words\""),
        ("a=b", "\"a=b\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("back\\slash", "\"back\\\\slash\""),
        ("line\nbreak\ttab", "\"line\\nbreak\\ttab\""),
        ("bell\u{07}", "\"bell\\u{7}\""),
        ("ünïcode", "\"ünïcode\""),
    ])
    func valuesAreQuotedWhenNeeded(_ raw: String, _ encoded: String) {
        #expect(LogFormat.value(raw) == encoded)
    }

    @Test func metadataPrecedesFieldsInOrder() throws {
        let sink = MemorySink()
        let logger = Logger(label: "t", sink: sink).withMetadata(["request_id": "r1", "replica": "s-1"])
        logger.warning("slow", ["duration_ms": "12", "route": "/"])

        let line = try #require(sink.lines.first)
        #expect(withoutTime(line) == "level=warning label=t msg=slow request_id=r1 replica=s-1 duration_ms=12 route=/")
    }

    @Test func levelFilterDropsLowerLevels() {
        let sink = MemorySink()
        let logger = Logger(label: "t", level: .notice, sink: sink)
        logger.debug("hidden")
        logger.info("hidden too")
        logger.notice("shown")
        logger.error("shown too")

        #expect(sink.lines.count == 2)
        #expect(sink.lines.allSatisfy { !$0.contains("hidden") })
        #expect(logger.isEnabled(.warning))
        #expect(!logger.isEnabled(.info))
    }

    @Test func withLabelKeepsSinkAndLevel() throws {
        let sink = MemorySink()
        let logger = Logger(label: "a", level: .warning, sink: sink).withLabel("b")
        logger.info("dropped")
        logger.error("kept")

        let line = try #require(sink.lines.first)
        #expect(sink.lines.count == 1)
        #expect(withoutTime(line).hasPrefix("level=error label=b "))
    }

    @Test func runtimeFieldListKeepsOrder() throws {
        let sink = MemorySink()
        Logger(label: "t", sink: sink).log(.info, "summary", fieldList: [("z", "1"), ("a", "two words")])

        let line = try #require(sink.lines.first)
        #expect(withoutTime(line) == "level=info label=t msg=summary z=1 a=\"two words\"")
    }

    @Test(arguments: [("INFO", LogLevel.info), ("warning", .warning), ("Trace", .trace)])
    func levelNamesParseIgnoringCase(_ name: String, _ level: LogLevel) {
        #expect(LogLevel(name: name) == level)
    }

    @Test func unknownLevelNameIsNil() {
        #expect(LogLevel(name: "verbose") == nil)
    }
}
