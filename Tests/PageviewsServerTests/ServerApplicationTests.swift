import Counting
import Foundation
import Observability
import Testing
import TestSupport
@testable import PageviewsServer

/// A replica with the embedded store, on a free loopback port.
@Suite struct ServerApplicationTests {
    func makeServer(_ adjust: (inout ServerConfiguration) -> Void = { _ in }) throws -> ServerApplication {
        try TestReplica.start(adjust)
    }

    func json(_ response: TestHTTPResponse) throws -> [String: Any] {
        try TestReplica.json(response)
    }

    func waitForViews(_ client: HTTPTestClient, counter: String, expected: Int) throws -> Int {
        try TestReplica.waitForViews(client, counter: counter, expected: expected)
    }

    @Test func recordedViewsAreServedExactly() throws {
        let application = try makeServer()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)

        for _ in 0..<25 {
            let response = try client.send(method: "POST", path: "/api/v1/counters/exact/views")
            #expect(response.status == 200)
        }
        #expect(try waitForViews(client, counter: "exact", expected: 25) == 25)
        let body = try json(try client.send(method: "GET", path: "/api/v1/counters/exact"))
        #expect(body["instance"] as? String == "test-1")
        #expect(body["stale"] as? Bool == false)
        #expect(body["as_of"] is String)
    }

    @Test func readingDoesNotCount() throws {
        let application = try makeServer()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)
        _ = try client.send(method: "POST", path: "/api/v1/counters/reads/views")
        #expect(try waitForViews(client, counter: "reads", expected: 1) == 1)
        for _ in 0..<5 {
            _ = try client.send(method: "GET", path: "/api/v1/counters/reads")
        }
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try waitForViews(client, counter: "reads", expected: 1) == 1)
    }

    @Test func homePageCountsAndNamesInstance() throws {
        let application = try makeServer()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)
        let page = try client.send(method: "GET", path: "/")
        #expect(page.status == 200)
        #expect(page.header("content-type")?.hasPrefix("text/html") == true)
        let html = String(decoding: page.body, as: UTF8.self)
        #expect(html.contains("test-1"))
        #expect(html.contains("<svg"))
        #expect(try waitForViews(client, counter: "home", expected: 1) == 1)
    }

    @Test(arguments: ["Upper", "a%20b", "x{y}", String(repeating: "a", count: 65)])
    func invalidCounterNameIsBadRequest(_ name: String) throws {
        let application = try makeServer()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)
        let response = try client.send(method: "POST", path: "/api/v1/counters/\(name)/views")
        #expect(response.status == 400)
        #expect(response.header("x-instance") == "test-1")
        let error = try json(response)["error"] as? String
        #expect(error?.contains("1 to 64 characters") == true)
    }

    @Test func everyResponseCarriesInstanceHeader() throws {
        let application = try makeServer()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)
        for path in ["/healthz", "/readyz", "/metrics", "/favicon.ico", "/nope"] {
            let response = try client.send(method: "GET", path: path)
            #expect(response.header("x-instance") == "test-1", "missing on \(path)")
        }
        #expect(try client.send(method: "GET", path: "/favicon.ico").status == 404)
        #expect(try client.send(method: "DELETE", path: "/healthz").status == 405)
    }

    @Test func tooManyCountersIsRejected() throws {
        let application = try makeServer { $0.maxCounters = 2 }
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)
        #expect(try client.send(method: "POST", path: "/api/v1/counters/one/views").status == 200)
        #expect(try client.send(method: "POST", path: "/api/v1/counters/two/views").status == 200)
        let rejected = try client.send(method: "POST", path: "/api/v1/counters/three/views")
        #expect(rejected.status == 429)
        #expect((try json(rejected)["error"] as? String)?.contains("MAX_COUNTERS") == true)
        #expect(try client.send(method: "POST", path: "/api/v1/counters/one/views").status == 200)
    }

    @Test func drainFailsReadinessAndFlushesEverything() throws {
        let application = try makeServer { $0.drainDelay = .milliseconds(300) }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)
        #expect(try client.send(method: "GET", path: "/readyz").status == 200)

        let finished = DispatchSemaphore(value: 0)
        let drained = Thread {
            application.drainAndStop()
            finished.signal()
        }
        drained.start()
        var readiness = 200
        for _ in 0..<100 where readiness == 200 {
            readiness = (try? HTTPTestClient(host: "127.0.0.1", port: application.port).send(method: "GET", path: "/readyz").status) ?? 0
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(readiness == 503)
        #expect(finished.wait(timeout: .now() + 30) == .success)
    }

    @Test func metricsUseThePrometheusFormat() throws {
        let application = try makeServer()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)
        _ = try client.send(method: "POST", path: "/api/v1/counters/m/views")
        let response = try client.send(method: "GET", path: "/metrics")
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.header("content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(text.contains("# TYPE pageviews_views_recorded_total counter"))
        #expect(text.contains("pageviews_views_recorded_total 1"))
        #expect(!text.contains("counter=\"m\""))
    }
}
