/// Writes responses as HTTP/1.1 bytes into a connection's output buffer.
///
/// Each event loop owns one serializer, because it remembers the header
/// block of the previous response: handlers mostly return the same fields,
/// and copying their bytes is much cheaper than validating and writing them again.
struct HTTPResponseSerializer: Sendable {
    /// Header fields the server sets itself; a handler's values for them are ignored.
    private static let reservedNames = ["Content-Length", "Transfer-Encoding", "Connection"]
    static let continueBytes = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private let defaultHeaders: [(name: String, line: [UInt8])]
    /// The header fields of the latest response and their serialized lines, default headers included.
    private var lastHeaders = HTTPHeaders()
    private var lastHeaderBlock: [UInt8] = []

    init(defaultHeaders: [(String, String)]) {
        self.defaultHeaders = defaultHeaders.filter { Self.isValidField($0.0, $0.1) }.map { name, value in
            (name, Array("\(name): \(value)\r\n".utf8))
        }
    }

    /// Appends the status line, header fields and, unless `omitBody`, the body.
    ///
    /// `omitBody` is for HEAD: `Content-Length` still gives the size of the body a GET would get.
    mutating func serialize(_ response: HTTPResponse, omitBody: Bool, close: Bool, into output: inout [UInt8]) {
        // A code outside three digits would produce a status line clients cannot parse.
        let status = (100...999).contains(response.status.code) ? response.status : .internalServerError
        output.appendUTF8("HTTP/1.1 ")
        output.appendDecimal(status.code)
        output.append(ByteClass.space)
        for byte in status.reason.utf8 where ByteClass.isFieldValue(byte) {
            output.append(byte)
        }
        output.appendUTF8("\r\n")

        appendHeaderBlock(response.headers, to: &output)
        if status.allowsBody {
            output.appendUTF8("Content-Length: ")
            output.appendDecimal(response.body.count)
            output.appendUTF8("\r\n")
        }
        if close {
            output.appendUTF8("Connection: close\r\n")
        }
        output.appendUTF8("\r\n")

        if !omitBody && status.allowsBody {
            output.append(contentsOf: response.body)
        }
    }

    private mutating func appendHeaderBlock(_ headers: HTTPHeaders, to output: inout [UInt8]) {
        if !headers.fieldsEqual(lastHeaders) {
            lastHeaderBlock.removeAll(keepingCapacity: true)
            appendHeaders(headers, to: &lastHeaderBlock)
            lastHeaders = headers
        }
        output.append(contentsOf: lastHeaderBlock)
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
