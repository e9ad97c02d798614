import Foundation
import FoundationXML
import Testing
import TestSupport
@testable import PageviewsServer

/// What pages on other sites use: the SVG badge, CORS and `navigator.sendBeacon`.
@Suite struct EmbeddingTests {
    @Test func badgeIsUncachedSVGAndCounts() throws {
        let application = try TestReplica.start()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)

        let badge = try client.send(method: "GET", path: "/api/v1/counters/docs/badge.svg")
        #expect(badge.status == 200)
        #expect(badge.header("content-type") == "image/svg+xml")
        #expect(badge.header("cache-control") == "no-cache, no-store, must-revalidate, max-age=0")
        #expect(badge.header("pragma") == "no-cache")
        #expect(badge.header("expires") == "0")
        #expect(badge.bodyText.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(badge.bodyText.contains(">views · last minute</text>"))
        #expect(try TestReplica.waitForViews(client, counter: "docs", expected: 1) == 1)

        let second = try client.send(method: "GET", path: "/api/v1/counters/docs/badge.svg")
        #expect(second.bodyText.contains(">1</text>"), "badge after one view: \(second.bodyText)")
    }

    @Test func badgeHeadRecordsNoView() throws {
        let application = try TestReplica.start()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)

        let head = try client.send(method: "HEAD", path: "/api/v1/counters/checked/badge.svg")
        #expect(head.status == 200)
        _ = try client.send(method: "POST", path: "/api/v1/counters/checked/views")
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try TestReplica.waitForViews(client, counter: "checked", expected: 1) == 1)
    }

    @Test func badgeIsWellFormedXML() throws {
        for (views, stale) in [(Int64(0), true), (123, false), (9_876_543, false)] {
            let svg = BadgeSVG.render(views: views, stale: stale)
            let document = try XMLDocument(data: Data(svg.utf8))
            #expect(document.rootElement()?.name == "svg")
            #expect(svg.contains(">\(views)</text>"))
        }
        #expect(BadgeSVG.render(views: 1, stale: true).contains("#9f9f9f"))
        #expect(BadgeSVG.render(views: 1, stale: false).contains("#3d6fd8"))
    }

    @Test(arguments: ["/api/v1/counters/home/views", "/api/v1/counters/home", "/api/v1/counters/home/badge.svg"])
    func preflightAllowsAnyOrigin(_ path: String) throws {
        let application = try TestReplica.start()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)

        let response = try client.send(method: "OPTIONS", path: path, headers: [
            ("Origin", "https://blog.example"), ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ])
        #expect(response.status == 204)
        #expect(response.header("access-control-allow-origin") == "*")
        #expect(response.header("access-control-allow-methods") == "POST, GET, OPTIONS")
        #expect(response.header("access-control-allow-headers") == "Content-Type")
        #expect(response.header("access-control-max-age") == "86400")
        #expect(response.header("x-instance") == "test-1")
        #expect(response.body.isEmpty)
    }

    @Test func preflightOfInvalidNameIsBadRequest() throws {
        let application = try TestReplica.start()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)

        let response = try client.send(method: "OPTIONS", path: "/api/v1/counters/Not%20Valid/views")
        #expect(response.status == 400)
        #expect(response.header("access-control-allow-origin") == "*")
        #expect((try TestReplica.json(response)["error"] as? String)?.contains("1 to 64 characters") == true)
    }

    @Test func apiResponsesAllowAnyOrigin() throws {
        let application = try TestReplica.start { $0.maxCounters = 1 }
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)

        let responses = [
            try client.send(method: "POST", path: "/api/v1/counters/one/views"),
            try client.send(method: "GET", path: "/api/v1/counters/one"),
            try client.send(method: "POST", path: "/api/v1/counters/Bad/views"),
            try client.send(method: "POST", path: "/api/v1/counters/two/views"),
        ]
        #expect(responses.map(\.status) == [200, 200, 400, 429])
        for response in responses {
            #expect(response.header("access-control-allow-origin") == "*", "status \(response.status)")
            #expect(response.header("content-type") == "application/json")
        }
    }

    @Test func beaconBodyIsAcceptedAndIgnored() throws {
        let application = try TestReplica.start()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)

        let beacon = try client.send(
            method: "POST", path: "/api/v1/counters/beacon/views",
            headers: [("Content-Type", "text/plain;charset=UTF-8"), ("Origin", "https://blog.example")],
            body: Array("{\"page\":\"/post/1\"}".utf8))
        #expect(beacon.status == 200)
        #expect(try TestReplica.json(beacon)["counter"] as? String == "beacon")
        let empty = try client.send(
            method: "POST", path: "/api/v1/counters/beacon/views", headers: [("Content-Type", "text/plain;charset=UTF-8")])
        #expect(empty.status == 200)
        #expect(try TestReplica.waitForViews(client, counter: "beacon", expected: 2) == 2)
    }

    @Test func chunkedBeaconBodyIsAccepted() throws {
        let application = try TestReplica.start()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)

        try client.sendRaw(
            "POST /api/v1/counters/chunked/views HTTP/1.1\r\nHost: test\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(try TestReplica.waitForViews(client, counter: "chunked", expected: 1) == 1)
    }

    @Test func oversizedBeaconIsJSONError() throws {
        let application = try TestReplica.start()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)

        let response = try client.send(
            method: "POST", path: "/api/v1/counters/big/views", headers: [("Content-Type", "text/plain")],
            body: Array(repeating: UInt8(ascii: "x"), count: 65_537))
        #expect(response.status == 413)
        #expect(response.header("content-type") == "application/json")
        #expect(response.header("access-control-allow-origin") == "*")
        #expect((try TestReplica.json(response)["error"] as? String)?.contains("65536") == true)
    }

    @Test func routerErrorsAreJSON() throws {
        let application = try TestReplica.start()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)

        let missing = try client.send(method: "GET", path: "/nope")
        #expect(missing.status == 404)
        #expect(try TestReplica.json(missing)["error"] as? String == "no route for this path")
        let wrongMethod = try client.send(method: "PUT", path: "/api/v1/counters/home/views")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("allow") == "OPTIONS, POST")
        #expect(try TestReplica.json(wrongMethod)["error"] is String)
    }
}
