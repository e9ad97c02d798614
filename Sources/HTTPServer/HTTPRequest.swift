/// A complete HTTP/1.x request as the parser delivers it.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The request-target exactly as received, such as `/a/b?x=1`.
    public var target: String
    /// The path of the target before any `?`, not percent-decoded.
    public var path: String
    /// The part of the target after the first `?`, not percent-decoded; nil without a `?`.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        (self.path, self.query) = Self.splitTarget(target)
    }

    /// Whether the connection stays open after the response (RFC 9112, 9.3):
    /// HTTP/1.1 unless `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool {
        if headers.containsToken("close", inField: "Connection") {
            return false
        }
        if version.major == 1 && version.minor == 0 {
            return headers.containsToken("keep-alive", inField: "Connection")
        }
        return true
    }

    /// Splits an origin-form or absolute-form target into path and query.
    private static func splitTarget(_ target: String) -> (path: String, query: String?) {
        var pathAndQuery = Substring(target)
        // The origin form is checked first, because a Foundation search costs a bridged string per request.
        if !target.hasPrefix("/"), let schemeEnd = target.firstRange(of: "://") {
            // Absolute form (`http://host/path`): the path starts after the authority.
            let afterAuthority = target[schemeEnd.upperBound...]
            let pathStart = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? target.endIndex
            pathAndQuery = target[pathStart...]
        }
        guard let mark = pathAndQuery.firstIndex(of: "?") else {
            return (pathAndQuery.isEmpty ? "/" : String(pathAndQuery), nil)
        }
        let path = pathAndQuery[..<mark]
        let query = pathAndQuery[pathAndQuery.index(after: mark)...]
        return (path.isEmpty ? "/" : String(path), String(query))
    }
}
