/// A response a handler returns; the server adds `Content-Length`, the
/// configured default headers and, when it closes the connection, `Connection: close`.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The route that produced the response, used as the `route` label of request
    /// metrics; the router sets it to the matched pattern or `unmatched`. It must
    /// come from a small fixed set, never from request data.
    public var routeLabel: String?

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
        self.routeLabel = nil
    }

    /// Makes a `text/plain` response whose body is `message` and a newline.
    public static func text(_ status: HTTPStatus, _ message: String) -> HTTPResponse {
        var body = Array(message.utf8)
        body.append(ByteClass.lineFeed)
        return HTTPResponse(
            status: status,
            headers: ["Content-Type": "text/plain; charset=utf-8"],
            body: body
        )
    }
}
