/// A reason the parser rejected a request, with the status the server responds with.
///
/// The message is short, safe to send to the client and never contains request bytes.
public struct HTTPParseError: Hashable, Sendable, CustomStringConvertible {
    public var status: HTTPStatus
    public var message: String

    public init(status: HTTPStatus, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String {
        "\(status.code): \(message)"
    }

    static func badRequest(_ message: String) -> HTTPParseError {
        HTTPParseError(status: .badRequest, message: message)
    }

    static func requestLineTooLong(limit: Int) -> HTTPParseError {
        HTTPParseError(status: .uriTooLong, message: "request line longer than \(limit) bytes")
    }

    static func headerSectionTooLarge(limit: Int) -> HTTPParseError {
        HTTPParseError(status: .requestHeaderFieldsTooLarge, message: "header section larger than \(limit) bytes")
    }

    static func tooManyHeaders(limit: Int) -> HTTPParseError {
        HTTPParseError(status: .requestHeaderFieldsTooLarge, message: "more than \(limit) header fields")
    }

    static func bodyTooLarge(limit: Int) -> HTTPParseError {
        HTTPParseError(status: .payloadTooLarge, message: "request body larger than \(limit) bytes")
    }
}
