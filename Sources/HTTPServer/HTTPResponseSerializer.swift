/// Writes responses as HTTP/1.1 bytes into a connection's output buffer.
struct HTTPResponseSerializer: Sendable {
    /// Header fields the server sets itself; a handler's values for them are ignored.
    private static let reservedNames = ["Content-Length", "Transfer-Encoding", "Connection"]
    static let continueBytes = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private let defaultHeaders: [(name: String, line: [UInt8])]

    init(defaultHeaders: [(String, String)]) {
        self.defaultHeaders = defaultHeaders.filter { Self.isValidField($0.0, $0.1) }.map { name, value in
            (name, Array("\(name): \(value)\r\n".utf8))
        }
    }

    /// Appends the status line, header fields and, unless `omitBody`, the body.
    ///
    /// `omitBody` is for HEAD: `Content-Length` still gives the size of the body a GET would get.
    func serialize(_ response: HTTPResponse, omitBody: Bool, close: Bool, into output: inout [UInt8]) {
        // A code outside three digits would produce a status line clients cannot parse.
        let status = (100...999).contains(response.status.code) ? response.status : .internalServerError
        output.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status.code, to: &output)
        output.append(ByteClass.space)
        output.append(contentsOf: status.reason.utf8.filter(ByteClass.isFieldValue))
        output.append(contentsOf: "\r\n".utf8)

        appendHeaders(response.headers, to: &output)
        if status.allowsBody {
            output.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(response.body.count, to: &output)
            output.append(contentsOf: "\r\n".utf8)
        }
        if close {
            output.append(contentsOf: "Connection: close\r\n".utf8)
        }
        output.append(contentsOf: "\r\n".utf8)

        if !omitBody && status.allowsBody {
            output.append(contentsOf: response.body)
        }
    }

    private func appendHeaders(_ headers: HTTPHeaders, to output: inout [UInt8]) {
        for (name, value) in headers where Self.isValidField(name, value) && !Self.isReserved(name) {
            output.append(contentsOf: name.utf8)
            output.append(contentsOf: ": ".utf8)
            output.append(contentsOf: value.utf8)
            output.append(contentsOf: "\r\n".utf8)
        }
        for field in defaultHeaders where !headers.contains(name: field.name) {
            output.append(contentsOf: field.line)
        }
    }

    private func appendDecimal(_ value: Int, to output: inout [UInt8]) {
        guard value >= 10 else {
            output.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        appendDecimal(value / 10, to: &output)
        output.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    private static func isReserved(_ name: String) -> Bool {
        reservedNames.contains { HTTPHeaders.namesEqual($0, name) }
    }

    /// Rejects fields that would break the message framing, such as a value with CR or LF.
    private static func isValidField(_ name: String, _ value: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(ByteClass.isToken) && value.utf8.allSatisfy(ByteClass.isFieldValue)
    }
}
