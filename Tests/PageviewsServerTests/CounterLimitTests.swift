import Foundation
import Testing
import TestSupport
@testable import PageviewsServer

/// MAX_COUNTERS through HTTP, with a clock the test moves so a window passes at once.
@Suite struct CounterLimitTests {
    @Test func idleCounterFreesLimitAfterWindow() throws {
        let clock = ManualClock()
        let application = try TestReplica.start(clock: clock) { $0.maxCounters = 2 }
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)

        #expect(try client.send(method: "POST", path: "/api/v1/counters/one/views").status == 200)
        #expect(try client.send(method: "POST", path: "/api/v1/counters/two/views").status == 200)
        #expect(try client.send(method: "POST", path: "/api/v1/counters/three/views").status == 429)

        // 61 s later neither counter had a view for a whole window; the next
        // flush round, 20 ms of real time away, removes them.
        clock.advance(seconds: 61)
        var status = 0
        for _ in 0..<250 {
            status = try client.send(method: "POST", path: "/api/v1/counters/three/views").status
            if status == 200 { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(status == 200)
        #expect(try client.send(method: "POST", path: "/api/v1/counters/four/views").status == 200)
        #expect(try client.send(method: "POST", path: "/api/v1/counters/five/views").status == 429)
    }

    @Test func readsOfNewNamesAreBounded() throws {
        let application = try TestReplica.start { $0.maxCounters = 3 }
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)

        let statuses = try (1...5).map { index in
            try client.send(method: "GET", path: "/api/v1/counters/read-\(index)").status
        }
        #expect(statuses == [200, 200, 200, 429, 429])
        #expect(try client.send(method: "GET", path: "/api/v1/counters/read-1").status == 200, "a tracked name stays readable")
    }

    @Test func idleReadCounterIsForgotten() throws {
        let clock = ManualClock()
        let application = try TestReplica.start(clock: clock) { $0.maxCounters = 1 }
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)

        #expect(try client.send(method: "GET", path: "/api/v1/counters/first").status == 200)
        #expect(try client.send(method: "GET", path: "/api/v1/counters/second").status == 429)
        clock.advance(seconds: 61)
        var status = 0
        for _ in 0..<250 {
            status = try client.send(method: "GET", path: "/api/v1/counters/second").status
            if status == 200 { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(status == 200)
    }

    @Test(arguments: [
        (nil, false), ("series=1", true), ("series=true", true), ("series=0", false), ("x=1&series=1", true),
        ("series=1&series=0", false), ("other=series=1", false),
    ] as [(String?, Bool)])
    func seriesFlagParses(_ query: String?, _ expected: Bool) throws {
        #expect(try CounterRoutes.seriesFlag(in: query) == expected)
    }

    @Test(arguments: ["series=2", "series=", "series", "series=yes"])
    func invalidSeriesFlagThrows(_ query: String) {
        #expect(throws: InvalidQuery.self) { try CounterRoutes.seriesFlag(in: query) }
    }
}
