import Testing

@testable import HTTPServer

@Suite struct HTTPRequestParserLimitTests {
    /// Makes a GET whose request line, CRLF excluded, is exactly `length` bytes.
    private func requestLine(length: Int) -> String {
        let fixed = "GET / HTTP/1.1".utf8.count
        return "GET /" + String(repeating: "a", count: length - fixed) + " HTTP/1.1"
    }

    /// Makes a request with `headerCount` header fields, Host included.
    private func request(headerCount: Int) -> String {
        var text = "GET / HTTP/1.1\r\nHost: h\r\n"
        for index in 1..<headerCount {
            text += "X-Field-\(index): v\r\n"
        }
        return text + "\r\n"
    }

    @Test func requestLineAtLimitAccepted() {
        let output = parse(requestLine(length: 8192) + "\r\nHost: h\r\n\r\n")

        #expect(output.error == nil)
        #expect(output.requests.count == 1)
    }

    @Test func requestLineOverLimitIs414() {
        let output = parse(requestLine(length: 8193) + "\r\nHost: h\r\n\r\n")

        #expect(output.error?.status == .uriTooLong)
        #expect(output.error?.message == "request line longer than 8192 bytes")
    }

    @Test func unterminatedLongRequestLineIs414() {
        // No line feed ever arrives: the parser must reject without waiting for one.
        let output = parse("GET /" + String(repeating: "a", count: 9000))

        #expect(output.error?.status == .uriTooLong)
    }

    @Test func headerSectionOverLimitIs431() {
        let big = String(repeating: "v", count: 8000)
        let output = parse("GET / HTTP/1.1\r\nHost: h\r\nA: \(big)\r\nB: \(big)\r\nC: \(big)\r\n\r\n")

        #expect(output.error?.status == .requestHeaderFieldsTooLarge)
    }

    @Test func headerCountAtLimitAccepted() {
        #expect(parse(request(headerCount: 100)).error == nil)
    }

    @Test func headerCountOverLimitIs431() {
        let output = parse(request(headerCount: 101))

        #expect(output.error?.status == .requestHeaderFieldsTooLarge)
        #expect(output.error?.message == "more than 100 header fields")
    }

    @Test func declaredBodyOverLimitIs413() {
        let output = parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 65537\r\n\r\n")

        #expect(output.error?.status == .payloadTooLarge)
    }

    @Test func hugeContentLengthIs413() {
        let output = parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n")

        #expect(output.error?.status == .payloadTooLarge)
    }

    @Test func chunkedBodyOverLimitIs413() {
        let chunk = "8000\r\n" + String(repeating: "x", count: 0x8000) + "\r\n"
        let text = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "1\r\nx\r\n0\r\n\r\n"
        let output = parse(text)

        #expect(output.requests.isEmpty)
        #expect(output.error?.status == .payloadTooLarge)
    }

    @Test func chunkedBodyAtLimitAccepted() {
        let chunk = "8000\r\n" + String(repeating: "x", count: 0x8000) + "\r\n"
        let output = parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n")

        #expect(output.error == nil)
        #expect(output.requests.first?.body.count == 65536)
    }

    @Test func trailersOverLimitAre431() {
        let big = String(repeating: "v", count: 17000)
        let output = parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: \(big)\r\n\r\n")

        #expect(output.error?.status == .requestHeaderFieldsTooLarge)
    }

    @Test func contentLengthWithTransferEncodingIs400() {
        let text = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"

        #expect(errorStatus(text) == 400)
    }

    @Test func transferEncodingGzipIs501() {
        #expect(errorStatus("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n") == 501)
    }

    @Test func transferEncodingGzipChunkedIs501() {
        #expect(errorStatus("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == 501)
    }

    @Test func missingHostOnHTTP11Is400() {
        let output = parse("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n")

        #expect(output.error?.status == .badRequest)
        #expect(output.error?.message == "missing Host header")
    }

    @Test func duplicateHostIs400() {
        #expect(errorStatus("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400)
    }

    @Test func http2VersionIs505() {
        #expect(errorStatus("GET / HTTP/2.0\r\nHost: h\r\n\r\n") == 505)
    }

    @Test(arguments: [
        "G(ET / HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /\u{7F} HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.x\r\nHost: h\r\n\r\n",
        "GET / HTTP/11\r\nHost: h\r\n\r\n",
        "GET / http/1.1\r\nHost: h\r\n\r\n",
        "GET /\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.1\r\nHost h\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : h\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nBad\u{01}Name: 1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX: a\u{00}b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 12a\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 4\r\n\r\nabcd",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3 x\r\nabc\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n bad trailer\r\n\r\n",
    ])
    func malformedRequestIs400(_ text: String) {
        #expect(errorStatus(text) == 400)
    }

    @Test func responsesToRejectedInputsSayWhatWasWrong() {
        let output = parse("GET / HTTP/1.1\r\nHost : h\r\n\r\n")

        #expect(output.error?.message == "whitespace between header name and colon")
    }
}
