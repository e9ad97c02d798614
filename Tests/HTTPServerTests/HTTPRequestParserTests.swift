import Testing

@testable import HTTPServer

@Suite struct HTTPRequestParserTests {
    @Test func simpleGet() throws {
        let output = parse("GET /a/b?x=1 HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\n")

        #expect(output.error == nil)
        let request = try #require(output.requests.first)
        #expect(output.requests.count == 1)
        #expect(request.method == .GET)
        #expect(request.target == "/a/b?x=1")
        #expect(request.path == "/a/b")
        #expect(request.query == "x=1")
        #expect(request.version == .http1_1)
        #expect(request.headers["host"] == "example")
        #expect(request.headers["ACCEPT"] == "*/*")
        #expect(request.body.isEmpty)
        #expect(request.keepAlive)
    }

    @Test func pipelinedRequestsInOneBuffer() {
        let output = parse("GET /one HTTP/1.1\r\nHost: h\r\n\r\nGET /two HTTP/1.1\r\nHost: h\r\n\r\n")

        #expect(output.error == nil)
        #expect(output.requests.map(\.path) == ["/one", "/two"])
    }

    @Test func requestSplitAtEveryByte() {
        let text = "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
            + "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: v\r\n\r\n"
        let bytes = Array(text.utf8)

        for split in 0...bytes.count {
            var parser = HTTPRequestParser()
            parser.append(bytes[..<split])
            var output = parser.drain()
            parser.append(bytes[split...])
            let rest = parser.drain()
            output.requests += rest.requests

            #expect(output.error == nil, "split at \(split)")
            #expect(rest.error == nil, "split at \(split)")
            #expect(output.requests.map(\.path) == ["/p", "/c"], "split at \(split)")
            #expect(output.requests.map { String(decoding: $0.body, as: UTF8.self) } == ["hello", "abc"])
        }
    }

    @Test func requestFedOneByteAtATime() {
        let text = "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n"
        var parser = HTTPRequestParser()
        var requests: [HTTPRequest] = []

        for byte in text.utf8 {
            parser.append([byte])
            requests += parser.drain().requests
        }

        #expect(requests.map(\.path) == ["/slow"])
    }

    @Test func contentLengthBody() throws {
        let output = parse("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world")

        let request = try #require(output.requests.first)
        #expect(request.method == .POST)
        #expect(String(decoding: request.body, as: UTF8.self) == "hello world")
    }

    @Test func repeatedEqualContentLengthAccepted() throws {
        let output = parse("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok")

        #expect(output.error == nil)
        #expect(output.requests.first?.body == Array("ok".utf8))
    }

    @Test func chunkedBodyWithExtensionAndTrailer() throws {
        let text = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nExpires: never\r\n\r\n"
        let output = parse(text)

        #expect(output.error == nil)
        let request = try #require(output.requests.first)
        #expect(String(decoding: request.body, as: UTF8.self) == "hello world")
        #expect(request.headers["Expires"] == nil)
    }

    @Test func leadingEmptyLinesIgnored() {
        let output = parse("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")

        #expect(output.error == nil)
        #expect(output.requests.count == 1)
    }

    @Test func http10WithoutHostAccepted() throws {
        let output = parse("GET / HTTP/1.0\r\n\r\n")

        let request = try #require(output.requests.first)
        #expect(request.version == .http1_0)
        #expect(!request.keepAlive)
    }

    @Test func keepAliveFollowsConnectionHeader() throws {
        let close = try #require(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").requests.first)
        let keep = try #require(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").requests.first)

        #expect(!close.keepAlive)
        #expect(keep.keepAlive)
    }

    @Test func absoluteFormTargetSplitIntoPath() throws {
        let request = try #require(parse("GET http://h:8080/x/y?q HTTP/1.1\r\nHost: h\r\n\r\n").requests.first)

        #expect(request.path == "/x/y")
        #expect(request.query == "q")
    }

    @Test func expectContinueReportedOnce() {
        var parser = HTTPRequestParser()
        parser.append(Array("POST /p HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8))

        #expect(parser.drain().requests.isEmpty)
        let first = parser.takeContinueRequest()
        let second = parser.takeContinueRequest()
        #expect(first)
        #expect(!second)
        parser.append(Array("abc".utf8))
        #expect(parser.drain().requests.count == 1)
    }

    @Test func phaseFollowsRequestProgress() {
        var parser = HTTPRequestParser()
        #expect(parser.phase == .idle)

        parser.append(Array("POST /p HTTP/1.1\r\n".utf8))
        _ = parser.drain()
        #expect(parser.phase == .head)

        parser.append(Array("Host: h\r\nContent-Length: 2\r\n\r\na".utf8))
        _ = parser.drain()
        #expect(parser.phase == .body)

        parser.append(Array("b".utf8))
        _ = parser.drain()
        #expect(parser.phase == .idle)
    }

    @Test func errorRepeatsOnLaterCalls() {
        var parser = HTTPRequestParser()
        parser.append(Array("BAD\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))

        #expect(parser.drain().error?.status == .badRequest)
        #expect(parser.drain().error?.status == .badRequest)
    }
}
