import Testing

@testable import HTTPServer

/// Cases for the shortcuts the request path takes: field names counted while
/// parsing, the target split from bytes, byte-wise route matching, and the
/// serializer's cached response head.
@Suite struct HTTPFastPathTests {
    @Test func fieldNamesCountedIgnoringCase() {
        #expect(errorStatus("GET / HTTP/1.1\r\nhOsT: a\r\nHOST: b\r\n\r\n") == 400)
        let output = parse("POST /p HTTP/1.1\r\nhost: h\r\ncontent-LENGTH: 2\r\n\r\nok")
        #expect(output.error == nil)
        #expect(output.requests.first?.body == Array("ok".utf8))
    }

    @Test func chunkedFramingFoundInLowercase() {
        let output = parse("POST /c HTTP/1.1\r\nHost: h\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n")
        #expect(output.error == nil)
        #expect(output.requests.first?.body == Array("hi".utf8))
    }

    @Test func targetSplitKeepsPathAndQuery() throws {
        let output = parse("GET /a/b?x=1&y HTTP/1.1\r\nHost: h\r\n\r\nGET /c? HTTP/1.1\r\nHost: h\r\n\r\n")
        try #require(output.requests.count == 2)
        #expect(output.requests[0].path == "/a/b")
        #expect(output.requests[0].query == "x=1&y")
        #expect(output.requests[1].path == "/c")
        #expect(output.requests[1].query == "")
    }

    @Test func asteriskAndAbsoluteTargetsSplit() {
        #expect(HTTPRequest(method: .OPTIONS, target: "*").path == "*")
        let absolute = HTTPRequest(method: .GET, target: "http://example.com:80/p?q=1")
        #expect(absolute.path == "/p")
        #expect(absolute.query == "q=1")
        #expect(HTTPRequest(method: .GET, target: "http://example.com").path == "/")
    }

    @Test func routeSegmentsMatchExactly() {
        let pattern = RoutePattern("/api/v1/counters/:name/views")
        #expect(pattern.match("/api/v1/counters/home/views")?["name"] == "home")
        #expect(pattern.match("/api/v1/counters/home/views/") == nil)
        #expect(pattern.match("/api/v1/counters/home") == nil)
        #expect(pattern.match("/api/v1/counters//views") == nil)
        #expect(pattern.match("/api/v1/counterz/home/views") == nil)
        #expect(pattern.match("/api/v1/counters/home/view") == nil)
        #expect(RoutePattern("/").match("/") != nil)
        #expect(RoutePattern("/").match("/x") == nil)
    }

    @Test func serializerHeadFollowsEachResponse() {
        var serializer = HTTPResponseSerializer(defaultHeaders: [("X-Instance", "s1")])
        let json = HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: Array("{}".utf8))
        let text = HTTPResponse.text(.notFound, "no")
        let empty = HTTPResponse(status: .noContent)

        #expect(serialized(json, by: &serializer) == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + "X-Instance: s1\r\nContent-Length: 2\r\n\r\n{}")
        #expect(serialized(json, by: &serializer, close: true) == "HTTP/1.1 200 OK\r\n"
            + "Content-Type: application/json\r\nX-Instance: s1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
        #expect(serialized(text, by: &serializer) == "HTTP/1.1 404 Not Found\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nX-Instance: s1\r\nContent-Length: 3\r\n\r\nno\n")
        #expect(serialized(empty, by: &serializer) == "HTTP/1.1 204 No Content\r\nX-Instance: s1\r\n\r\n")
        #expect(serialized(empty, by: &serializer, close: true)
            == "HTTP/1.1 204 No Content\r\nX-Instance: s1\r\nConnection: close\r\n\r\n")
        #expect(serialized(json, by: &serializer, omitBody: true) == "HTTP/1.1 200 OK\r\n"
            + "Content-Type: application/json\r\nX-Instance: s1\r\nContent-Length: 2\r\n\r\n")
    }

    @Test func serializerSeesChangedHeaderValue() {
        var serializer = HTTPResponseSerializer(defaultHeaders: [])
        let first = HTTPResponse(status: .ok, headers: ["X-Value": "a"], body: [])
        let second = HTTPResponse(status: .ok, headers: ["X-Value": "b"], body: [])
        #expect(serialized(first, by: &serializer).contains("X-Value: a\r\n"))
        #expect(serialized(second, by: &serializer).contains("X-Value: b\r\n"))
    }

    private func serialized(
        _ response: HTTPResponse, by serializer: inout HTTPResponseSerializer, close: Bool = false,
        omitBody: Bool = false
    ) -> String {
        var output: [UInt8] = []
        serializer.serialize(response, omitBody: omitBody, close: close, into: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
