import FoundationEssentials

/// Settings of an `HTTPServer`: where it listens, how many event loops run,
/// and the limits and timeouts that protect it from clients.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind, numeric or a host name; `0.0.0.0` listens on every IPv4 interface.
    public var host: String
    /// TCP port to bind; 0 lets the kernel choose a free port, which `start()` returns.
    public var port: Int
    /// Number of event loop threads.
    /// NOTE: there is no maximum connection count. The process's descriptor limit is
    /// the bound, and accepts pause for 100 ms at a time while it is reached.
    public var eventLoops: Int
    /// Maximum length of the request line in bytes, without CRLF; longer is a 414.
    public var maxRequestLineBytes: Int
    /// Maximum size of the header section in bytes, each field line counted with its CRLF; larger is a 431.
    public var maxHeaderBytes: Int
    /// Maximum number of header fields; more is a 431.
    public var maxHeaderCount: Int
    /// Maximum request body size in bytes, declared or chunked; larger is a 413.
    public var maxBodyBytes: Int
    /// How long a keep-alive connection may sit between requests before the server closes it.
    /// It also limits how long a client may leave response bytes unread.
    public var idleTimeout: Duration
    /// Time allowed for a whole header section, counted from its first byte. For the first
    /// request it counts from the accept. On expiry the server sends 408 and closes.
    public var headerTimeout: Duration
    /// Time allowed for a whole request body, counted from the end of its header section.
    public var bodyTimeout: Duration
    /// Header fields added to every response, server-generated errors included,
    /// unless the handler's response already has a field of that name.
    public var defaultHeaders: [(String, String)]
    /// Builds the responses the server sends on its own: 400, 408, 413, 414,
    /// 431, 501 and 505 for requests it rejects before any handler runs.
    /// Plain text by default. It runs on an event loop thread and must not block.
    public var makeErrorResponse: @Sendable (HTTPStatus, String) -> HTTPResponse = { HTTPResponse.text($0, $1) }

    public init(
        host: String = "0.0.0.0",
        port: Int = 8080,
        eventLoops: Int = ProcessInfo.processInfo.activeProcessorCount,
        maxRequestLineBytes: Int = 8192,
        maxHeaderBytes: Int = 16384,
        maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 65536,
        idleTimeout: Duration = .seconds(60),
        headerTimeout: Duration = .seconds(10),
        bodyTimeout: Duration = .seconds(30),
        defaultHeaders: [(String, String)] = []
    ) {
        self.host = host
        self.port = port
        self.eventLoops = eventLoops
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.defaultHeaders = defaultHeaders
    }

    /// Checks that every setting is in range before the server binds anything.
    func validate() throws(HTTPServerError) {
        guard (0...65535).contains(port) else {
            throw HTTPServerError(.invalidConfiguration, "port \(port) is outside 0...65535")
        }
        guard eventLoops >= 1 else {
            throw HTTPServerError(.invalidConfiguration, "eventLoops must be at least 1, got \(eventLoops)")
        }
        let limits = [maxRequestLineBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes]
        guard limits.allSatisfy({ $0 > 0 }) else {
            throw HTTPServerError(.invalidConfiguration, "request size limits must be positive")
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds, negative durations as zero.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
