/// Writes responses as HTTP/1.1 bytes into a connection's output buffer.
///
/// Each event loop owns one serializer, because it remembers the head of the
/// previous response: handlers mostly return the same status and fields, and
/// copying their bytes is much cheaper than validating and writing them again.
struct HTTPResponseSerializer: Sendable {
    /// Header fields the server sets itself; a handler's values for them are ignored.
    private static let reservedNames = ["Content-Length", "Transfer-Encoding", "Connection"]
    static let continueBytes = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
    private static let contentLengthName = Array("Content-Length: ".utf8)
    private static let endOfHead = Array("\r\n\r\n".utf8)
    private static let closeAndEndOfHead = Array("\r\nConnection: close\r\n\r\n".utf8)

    private let defaultHeaders: [(name: String, line: [UInt8])]
    /// Status and header fields of the latest response, and its head up to the
    /// `Content-Length` value: status line, header lines, default header lines
    /// and, when the status allows a body, `Content-Length: `.
    private var lastStatus = HTTPStatus.ok
    private var lastHeaders = HTTPHeaders()
    private var lastHead: [UInt8] = []

    init(defaultHeaders: [(String, String)]) {
        self.defaultHeaders = defaultHeaders.filter { Self.isValidField($0.0, $0.1) }.map { name, value in
            (name, Array("\(name): \(value)\r\n".utf8))
        }
        lastHead = makeHead(status: lastStatus, headers: lastHeaders)
    }

    /// Appends the status line, header fields and, unless `omitBody`, the body.
    ///
    /// `omitBody` is for HEAD: `Content-Length` still gives the size of the body a GET would get.
    mutating func serialize(_ response: HTTPResponse, omitBody: Bool, close: Bool, into output: inout [UInt8]) {
        // A code outside three digits would produce a status line clients cannot parse.
        let status = (100...999).contains(response.status.code) ? response.status : .internalServerError
        if status != lastStatus || !response.headers.fieldsEqual(lastHeaders) {
            lastHead = makeHead(status: status, headers: response.headers)
            lastStatus = status
            lastHeaders = response.headers
        }
        output.append(contentsOf: lastHead)

        if status.allowsBody {
            output.appendDecimal(response.body.count)
            output.append(contentsOf: close ? Self.closeAndEndOfHead : Self.endOfHead)
        } else {
            // The head ends with the last header line's CRLF.
            output.append(contentsOf: close ? Self.closeAndEndOfHead[2...] : Self.endOfHead[2...])
        }

        if !omitBody && status.allowsBody {
            output.append(contentsOf: response.body)
        }
    }

    /// Builds the head of a response up to the `Content-Length` value, or up
    /// to the last header line when `status` allows no body.
    private func makeHead(status: HTTPStatus, headers: HTTPHeaders) -> [UInt8] {
        var head: [UInt8] = []
        head.appendUTF8("HTTP/1.1 ")
        head.appendDecimal(status.code)
        head.append(ByteClass.space)
        for byte in status.reason.utf8 where ByteClass.isFieldValue(byte) {
            head.append(byte)
        }
        head.appendUTF8("\r\n")
        appendHeaders(headers, to: &head)
        if status.allowsBody {
            head.append(contentsOf: Self.contentLengthName)
        }
        return head
    }

    private func appendHeaders(_ headers: HTTPHeaders, to output: inout [UInt8]) {
        for (name, value) in headers where Self.isValidField(name, value) && !Self.isReserved(name) {
            output.appendUTF8(name)
            output.appendUTF8(": ")
            output.appendUTF8(value)
            output.appendUTF8("\r\n")
        }
        for field in defaultHeaders where !headers.contains(name: field.name) {
            output.append(contentsOf: field.line)
        }
    }

    private static func isReserved(_ name: String) -> Bool {
        reservedNames.contains { HTTPHeaders.namesEqual($0, name) }
    }

    /// Rejects fields that would break the message framing, such as a value with CR or LF.
    private static func isValidField(_ name: String, _ value: String) -> Bool {
        !name.isEmpty && allBytes(of: name, satisfy: ByteClass.isToken)
            && allBytes(of: value, satisfy: ByteClass.isFieldValue)
    }

    /// Checks the bytes from the string's contiguous storage, which is much
    /// cheaper per byte than iterating `utf8` through the generic path.
    private static func allBytes(of text: String, satisfy predicate: (UInt8) -> Bool) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(predicate) }
            ?? text.utf8.allSatisfy(predicate)
    }
}
