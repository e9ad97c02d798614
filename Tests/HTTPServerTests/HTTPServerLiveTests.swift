import Dispatch
import Glibc
import HTTPServer
import Testing
import TestSupport

/// Tests against a real server on a loopback port. Serialized so that the
/// blocking clients do not compete for the two cores of a small CI machine.
@Suite(.serialized) struct HTTPServerLiveTests {
    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let live = try LiveServer()
        let client = live.makeClient()

        for index in 0..<5 {
            let response = try client.send(path: "/items/\(index)")
            #expect(response.status == 200)
            #expect(response.bodyText == "item \(index)\n")
        }

        #expect(live.counterValue("http_connections_total") == 1)
        let labels: MetricsLabels = [("route", "/items/:id"), ("method", "GET"), ("status", "200")]
        #expect(live.counterValue("http_requests_total", labels: labels) == 5)
    }

    @Test func pipelinedRequestsAnsweredInOrder() throws {
        let live = try LiveServer()
        let client = live.makeClient()

        var batch = ""
        for index in 0..<10 {
            batch += "GET /items/\(index) HTTP/1.1\r\nHost: h\r\n\r\n"
        }
        try client.sendRaw(batch)

        for index in 0..<10 {
            #expect(try client.readResponse().bodyText == "item \(index)\n")
        }
    }

    @Test func pipelinedBurstBeyondOutputLimitAnswered() throws {
        let live = try LiveServer()
        let client = live.makeClient()
        // The requests arrive in one read, and their 1.6 MB of responses pass the
        // server's 256 KiB output limit, so it pauses and later resumes them.
        let count = 400

        try client.sendRaw(String(repeating: "GET /large HTTP/1.1\r\nHost: h\r\n\r\n", count: count))
        var answered = 0
        for _ in 0..<count where try client.readResponse().body.count == LiveServer.largeBodyBytes {
            answered += 1
        }

        #expect(answered == count)
    }

    @Test func postBodiesEchoed() throws {
        let live = try LiveServer()
        let client = live.makeClient()
        let body = Array(repeating: UInt8(ascii: "z"), count: 65536)

        let plain = try client.send(method: "POST", path: "/echo", body: body)
        try client.sendRaw("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2;e=1\r\nok\r\n0\r\nT: 1\r\n\r\n")
        let chunked = try client.readResponse()

        #expect(plain.body == body)
        #expect(chunked.bodyText == "ok")
    }

    @Test func headSendsLengthWithoutBody() throws {
        let live = try LiveServer()
        let client = live.makeClient()

        let head = try client.send(method: "HEAD", path: "/hello")
        let next = try client.send(path: "/hello")

        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "6")
        #expect(head.body.isEmpty)
        // A body sent after the HEAD response would corrupt this one.
        #expect(next.bodyText == "hello\n")
    }

    @Test func expectContinueAnswered() throws {
        let live = try LiveServer()
        let client = live.makeClient()

        try client.sendRaw("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        let interim = try client.readResponse(skippingInterim: false)
        try client.sendRaw("hi")
        let final = try client.readResponse()

        #expect(interim.status == 100)
        #expect(final.bodyText == "hi")
    }

    @Test func defaultHeadersOnNotFound() throws {
        let live = try LiveServer()

        let response = try live.makeClient().send(path: "/missing")

        #expect(response.status == 404)
        #expect(response.header("X-Instance") == "test-1")
        #expect(live.counterValue("http_requests_total", labels: [("route", "unmatched"), ("method", "GET"), ("status", "404")]) == 1)
    }

    @Test func methodNotAllowedOverSocket() throws {
        let live = try LiveServer()

        let response = try live.makeClient().send(method: "DELETE", path: "/hello")

        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD")
    }

    @Test(arguments: [
        (414, "GET /" + String(repeating: "a", count: 8200) + " HTTP/1.1\r\nHost: h\r\n\r\n"),
        (431, "GET / HTTP/1.1\r\nHost: h\r\n" + (1...101).map { "X-\($0): v\r\n" }.joined() + "\r\n"),
        (413, "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 70000\r\n\r\n" + String(repeating: "b", count: 70000)),
        (400, "GET / HTTP/1.1\r\nHost : h\r\n\r\n"),
        (501, "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n"),
    ])
    func rejectedRequestClosesConnection(status: Int, request: String) throws {
        let live = try LiveServer()
        let client = live.makeClient()

        try client.sendRaw(request)
        let response = try client.readResponse()

        #expect(response.status == status)
        #expect(response.closesConnection)
        #expect(response.header("X-Instance") == "test-1")
        #expect(!response.bodyText.isEmpty)
        #expect(live.counterValue("http_requests_total", labels: [("route", "invalid"), ("method", "unknown"), ("status", String(status))]) == 1)
    }

    @Test func slowHeaderClientGets408AndClose() throws {
        let live = try LiveServer { $0.headerTimeout = .milliseconds(300) }
        let client = live.makeClient()

        try client.sendRaw("GET / HTTP/1.1\r\nHost: h\r\nX-Slow: ")
        let response = try client.readResponse()

        #expect(response.status == 408)
        #expect(response.closesConnection)
        #expect(response.header("X-Instance") == "test-1")
    }

    @Test func silentNewConnectionClosed() throws {
        let live = try LiveServer { $0.headerTimeout = .milliseconds(300) }
        let client = live.makeClient()

        try client.connect()

        #expect(try client.waitForClose())
    }

    @Test func idleKeepAliveConnectionClosed() throws {
        let live = try LiveServer { $0.idleTimeout = .milliseconds(300) }
        let client = live.makeClient()

        let response = try client.send(path: "/hello")

        #expect(response.status == 200)
        #expect(try client.waitForClose())
    }

    @Test func busyKeepAliveConnectionStaysOpen() throws {
        let live = try LiveServer { $0.idleTimeout = .milliseconds(300) }
        let client = live.makeClient()

        // Requests every 50 ms for three idle timeouts: the connection is never idle for 300 ms.
        for index in 0..<18 {
            try client.sendRaw("GET /items/\(index) HTTP/1.1\r\nHost: test\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200, "request \(index)")
            usleep(50_000)
        }

        #expect(live.counterValue("http_connections_total") == 1)
    }

    @Test func http10ConnectionClosedAfterResponse() throws {
        let live = try LiveServer()
        let client = live.makeClient()

        try client.sendRaw("GET /hello HTTP/1.0\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.status == 200)
        #expect(response.closesConnection)
    }

    @Test func manyConcurrentConnectionsAllAnswered() throws {
        let live = try LiveServer()
        let clients = (0..<200).map { _ in live.makeClient() }

        // Open every connection first, so all 200 are open at once.
        for client in clients {
            try client.connect()
        }
        for (index, client) in clients.enumerated() {
            try client.sendRaw("GET /items/\(index) HTTP/1.1\r\nHost: h\r\n\r\n")
        }
        var answered = 0
        for (index, client) in clients.enumerated() where try client.readResponse().bodyText == "item \(index)\n" {
            answered += 1
        }

        #expect(answered == 200)
        #expect(live.counterValue("http_connections_total") == 200)
    }

    @Test func gracefulShutdownFinishesInFlightRequest() throws {
        let live = try LiveServer()
        let idle = live.makeClient()
        let inFlight = live.makeClient()
        _ = try idle.send(path: "/hello")
        try inFlight.sendRaw("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        // The interim response proves the server has read the header section.
        #expect(try inFlight.readResponse(skippingInterim: false).status == 100)

        let stopped = DispatchSemaphore(value: 0)
        let server = live.server
        DispatchQueue.global().async {
            server.shutdown(gracePeriod: .seconds(10))
            stopped.signal()
        }
        // The idle connection closing shows that draining has begun.
        #expect(try idle.waitForClose())
        try inFlight.sendRaw("done")
        let response = try inFlight.readResponse()

        #expect(response.status == 200)
        #expect(response.bodyText == "done")
        #expect(response.closesConnection)
        #expect(stopped.wait(timeout: .now() + 10) == .success)
        #expect(throws: HTTPTestClientError.self) { try live.makeClient().connect() }
    }

    @Test func stopAcceptingKeepsOpenConnections() throws {
        let live = try LiveServer()
        let client = live.makeClient()
        _ = try client.send(path: "/hello")

        live.server.stopAccepting()
        let response = try client.send(path: "/hello")

        #expect(response.status == 200)
        #expect(throws: HTTPTestClientError.self) { try live.makeClient().connect() }
    }
}

typealias MetricsLabels = [(name: String, value: String)]
