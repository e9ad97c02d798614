/// A response as `HTTPTestClient` read it off the socket.
public struct TestHTTPResponse: Sendable {
    public var status: Int
    public var reason: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, reason: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    /// Returns the first value of header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first(where: { $0.name.lowercased() == name.lowercased() })?.value
    }

    /// Returns every value of header `name`, in order.
    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    public var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }

    /// Whether the server announced that it closes the connection after this response.
    public var closesConnection: Bool {
        header("Connection")?.lowercased().contains("close") ?? false
    }
}

/// A failure of `HTTPTestClient`: connect, send, a read timeout or a malformed response.
public struct HTTPTestClientError: Error, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String {
        "HTTPTestClientError: \(message)"
    }
}
