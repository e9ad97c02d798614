import Glibc

/// A small blocking HTTP/1.1 client over one TCP connection, for tests.
///
/// It keeps the connection alive between requests, reconnects when the server
/// closed it, and reads responses framed by `Content-Length` (or by EOF when
/// there is none). Every read waits at most `timeout`. Raw methods
/// (`sendRaw`, `readResponse`, `waitForClose`) let tests send malformed or
/// pipelined bytes. One instance is used from one thread at a time.
public final class HTTPTestClient {
    public let host: String
    public let port: Int
    public let timeout: Duration
    private var fd: Int32 = -1
    /// Bytes received after the end of the last response read.
    private var received: [UInt8] = []
    /// Responses read on the current connection.
    private var responsesOnConnection = 0

    public init(host: String = "127.0.0.1", port: Int, timeout: Duration = .seconds(5)) {
        self.host = host
        self.port = port
        self.timeout = timeout
    }

    deinit {
        close()
    }

    public var isConnected: Bool {
        fd >= 0
    }

    /// Opens the connection if it is not open.
    public func connect() throws {
        guard fd < 0 else { return }

        fd = try TestSocket.connect(host: host, port: port, timeout: timeout)
        received = []
        responsesOnConnection = 0
    }

    public func close() {
        guard fd >= 0 else { return }

        Glibc.close(fd)
        fd = -1
    }

    /// Sends a request and reads its response, adding `Host` and, for a body,
    /// `Content-Length` unless `headers` has them.
    ///
    /// If a reused keep-alive connection turns out to be closed by the server,
    /// it reconnects and sends once more. The connection is closed afterwards
    /// when the response has `Connection: close`.
    public func send(
        method: String = "GET", path: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) throws -> TestHTTPResponse {
        let request = makeRequest(method: method, path: path, headers: headers, body: body)
        let isReused = isConnected && responsesOnConnection > 0
        do {
            return try exchange(request, isHead: method == "HEAD")
        } catch let error as HTTPTestClientError where isReused && error.message.hasPrefix(Self.closedPrefix) {
            close()
            return try exchange(request, isHead: method == "HEAD")
        }
    }

    /// Writes `bytes` as they are, connecting first if needed.
    public func sendRaw(_ bytes: [UInt8]) throws {
        try connect()
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                Glibc.send(fd, buffer.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR {
                continue
            }
            guard sent > 0 else {
                throw HTTPTestClientError("\(Self.closedPrefix): send failed: \(String(cString: strerror(errno)))")
            }
            offset += sent
        }
    }

    public func sendRaw(_ text: String) throws {
        try sendRaw(Array(text.utf8))
    }

    /// Reads one response. Interim 1xx responses are skipped unless
    /// `skippingInterim` is false. `isHead` marks a response without a body,
    /// whatever its `Content-Length`.
    public func readResponse(isHead: Bool = false, skippingInterim: Bool = true) throws -> TestHTTPResponse {
        var response = try readOneResponse(isHead: isHead)
        while skippingInterim && (100..<200).contains(response.status) {
            response = try readOneResponse(isHead: isHead)
        }
        responsesOnConnection += 1
        if response.closesConnection {
            close()
        }
        return response
    }

    /// Waits until the server closes the connection; returns false if it is still
    /// open after `timeout`. Bytes that arrive first are discarded.
    public func waitForClose() throws -> Bool {
        guard isConnected else { return true }

        while true {
            do {
                _ = try receiveMore()
            } catch let error as HTTPTestClientError where error.message.hasPrefix(Self.closedPrefix) {
                close()
                return true
            } catch let error as HTTPTestClientError where error.message.hasPrefix(Self.timeoutPrefix) {
                return false
            }
            received.removeAll()
        }
    }

    static let closedPrefix = "connection closed"
    static let timeoutPrefix = "timed out"

    private func exchange(_ request: [UInt8], isHead: Bool) throws -> TestHTTPResponse {
        try connect()
        try sendRaw(request)
        return try readResponse(isHead: isHead)
    }

    private func makeRequest(method: String, path: String, headers: [(String, String)], body: [UInt8]) -> [UInt8] {
        let names = Set(headers.map { $0.0.lowercased() })
        var head = "\(method) \(path) HTTP/1.1\r\n"
        if !names.contains("host") {
            head += "Host: \(host):\(port)\r\n"
        }
        if !body.isEmpty && !names.contains("content-length") && !names.contains("transfer-encoding") {
            head += "Content-Length: \(body.count)\r\n"
        }
        for (name, value) in headers {
            head += "\(name): \(value)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + body
    }

    private func readOneResponse(isHead: Bool) throws -> TestHTTPResponse {
        let headEnd = try readUntilHeadEnd()
        var response = try TestResponseHead.parse(Array(received[..<headEnd]))
        received.removeFirst(headEnd + 4)

        let hasNoBody = isHead || (100..<200).contains(response.status) || response.status == 204
            || response.status == 304
        if hasNoBody {
            return response
        }
        if let length = response.header("Content-Length").flatMap({ Int($0) }) {
            response.body = try readExactly(length)
        } else {
            response.body = try readToEnd()
        }
        return response
    }

    /// Reads until the buffer contains CRLF CRLF, and returns the index where it starts.
    private func readUntilHeadEnd() throws -> Int {
        let terminator: [UInt8] = [13, 10, 13, 10]
        var searchFrom = 0
        while true {
            if received.count >= 4 {
                for index in searchFrom...(received.count - 4) where received[index..<(index + 4)].elementsEqual(terminator) {
                    return index
                }
                searchFrom = received.count - 3
            }
            guard try receiveMore() else {
                throw HTTPTestClientError("\(Self.closedPrefix) before a complete response head")
            }
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        while received.count < count {
            guard try receiveMore() else {
                throw HTTPTestClientError("\(Self.closedPrefix) after \(received.count) of \(count) body bytes")
            }
        }
        let body = Array(received[..<count])
        received.removeFirst(count)
        return body
    }

    /// Reads until the server closes the connection, then closes this side too.
    private func readToEnd() throws -> [UInt8] {
        while true {
            do {
                guard try receiveMore() else { break }
            } catch let error as HTTPTestClientError where error.message.hasPrefix(Self.closedPrefix) {
                break
            }
        }
        let body = received
        received = []
        close()
        return body
    }

    /// Appends one recv's worth of bytes; returns false at EOF.
    /// A reset counts as a close; a timeout throws.
    private func receiveMore() throws -> Bool {
        guard fd >= 0 else { throw HTTPTestClientError("\(Self.closedPrefix): not connected") }

        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received.append(contentsOf: chunk[..<count])
                return true
            }
            if count == 0 || errno == ECONNRESET {
                if received.isEmpty {
                    throw HTTPTestClientError("\(Self.closedPrefix) by the server")
                }
                return false
            }
            if errno == EINTR {
                continue
            }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                throw HTTPTestClientError("\(Self.timeoutPrefix) after \(timeout) waiting for the server")
            }
            throw HTTPTestClientError("recv failed: \(String(cString: strerror(errno)))")
        }
    }
}
