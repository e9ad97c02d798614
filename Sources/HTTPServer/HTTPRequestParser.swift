import Glibc

/// An incremental HTTP/1.x request parser: feed it bytes with `append`, then
/// call `next()` until it returns `.needMore`.
///
/// The parser is a value with no I/O. It keeps unconsumed bytes, so pipelined
/// requests come out one per `next()` call, in order. Memory stays bounded by
/// the limits: one request line, one header section, one body and the bytes
/// appended but not yet parsed. After an error every later `next()` returns
/// the same error, because the framing of the rest of the stream is unknown.
public struct HTTPRequestParser: Sendable {
    public enum Result: Sendable {
        case needMore
        case request(HTTPRequest)
        case error(HTTPParseError)
    }

    /// The part of a request the parser waits for, from which the server picks a timeout.
    public enum Phase: Sendable, Equatable {
        /// Between requests, with no byte of the next one received.
        case idle
        /// Inside a request line or header section.
        case head
        /// Inside a request body, chunked trailers included.
        case body
    }

    /// Size limits in bytes, and the maximum number of header fields.
    public struct Limits: Sendable {
        public var maxRequestLineBytes = 8192
        public var maxHeaderBytes = 16384
        public var maxHeaderCount = 100
        public var maxBodyBytes = 65536

        public init() {}

        public init(_ configuration: HTTPServerConfiguration) {
            maxRequestLineBytes = configuration.maxRequestLineBytes
            maxHeaderBytes = configuration.maxHeaderBytes
            maxHeaderCount = configuration.maxHeaderCount
            maxBodyBytes = configuration.maxBodyBytes
        }
    }

    enum State: Sendable {
        case requestLine
        case headerLines
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case failed(HTTPParseError)
    }

    /// The parts of the request in progress parsed so far.
    struct PartialRequest: Sendable {
        var method = HTTPMethod.GET
        var target = ""
        /// Path and query split from an origin-form target; nil for other forms.
        var path: String?
        var query: String?
        var version = HTTPVersion.http1_1
        var headers = HTTPHeaders()
        /// Bytes of header and trailer field lines, each with its CRLF.
        var fieldBytes = 0
        /// Header and trailer field lines.
        var fieldCount = 0
        /// Host fields in the header section.
        var hostCount = 0
        /// Whether the header section has a Content-Length or Transfer-Encoding field.
        var hasFramingField = false
        var body: [UInt8] = []
    }

    enum LineRead {
        case line(Range<Int>)
        case needMore
        case tooLong
    }

    /// Maximum length of a chunk-size line, extensions included. The limit is
    /// small because chunk extensions carry nothing this server uses.
    static let maxChunkSizeLineBytes = 1024
    /// Consumed bytes kept at the front of the buffer before `append` moves the rest down.
    static let compactionThreshold = 4096

    public let limits: Limits
    var buffer: [UInt8] = []
    /// First byte of `buffer` not yet consumed.
    var readIndex = 0
    /// Index at which the search for the next line feed resumes, so each byte is scanned once.
    var scanIndex = 0
    var state = State.requestLine
    var partial = PartialRequest()
    var isContinueRequested = false

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Appends bytes received from the connection.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Parses the next request from the bytes appended so far.
    public mutating func next() -> Result {
        while true {
            if let result = step() {
                return result
            }
        }
    }

    /// Returns true once after the parser read a header section with
    /// `Expect: 100-continue` whose body has not fully arrived; the server then
    /// sends `100 Continue`.
    public mutating func takeContinueRequest() -> Bool {
        defer { isContinueRequested = false }
        return isContinueRequested
    }

    public var phase: Phase {
        switch state {
        case .requestLine:
            return readIndex < buffer.count ? .head : .idle
        case .headerLines:
            return .head
        case .fixedBody, .chunkSize, .chunkData, .chunkDataEnd, .trailers:
            return .body
        case .failed:
            return .idle
        }
    }

    /// Bytes appended but not yet consumed.
    public var bufferedByteCount: Int {
        buffer.count - readIndex
    }

    /// Advances by one state; returns nil to continue, or the result for the caller.
    private mutating func step() -> Result? {
        switch state {
        case .requestLine: return parseRequestLineStep()
        case .headerLines: return parseHeaderLineStep()
        case .fixedBody(let remaining): return readFixedBody(remaining: remaining)
        case .chunkSize: return parseChunkSizeStep()
        case .chunkData(let remaining): return readChunkData(remaining: remaining)
        case .chunkDataEnd: return parseChunkDataEndStep()
        case .trailers: return parseTrailerStep()
        case .failed(let error): return .error(error)
        }
    }

    /// Takes the next line, without its LF and an optional CR before the LF.
    ///
    /// RFC 9112, 2.2 allows accepting a bare LF as a line terminator. Returns
    /// `.tooLong` as soon as the line is known to exceed `maxLength` bytes, even
    /// before its end arrives, so no line is buffered beyond the limit.
    mutating func readLine(maxLength: Int) -> LineRead {
        let start = scanIndex
        let end = buffer.count
        let lineFeed: Int? = buffer.withUnsafeBufferPointer { bytes in
            guard start < end, let base = bytes.baseAddress,
                let hit = memchr(base + start, Int32(ByteClass.lineFeed), end - start)
            else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        guard let lineFeed else {
            scanIndex = end
            // One byte more than the limit may be the CR of a line that is not too long.
            return end - readIndex > maxLength + 1 ? .tooLong : .needMore
        }

        var lineEnd = lineFeed
        if lineEnd > readIndex && buffer[lineEnd - 1] == ByteClass.carriageReturn {
            lineEnd -= 1
        }
        let line = readIndex..<lineEnd
        readIndex = lineFeed + 1
        scanIndex = readIndex
        return line.count > maxLength ? .tooLong : .line(line)
    }

    /// Moves the state to `.failed` and returns the error.
    mutating func fail(_ error: HTTPParseError) -> Result {
        state = .failed(error)
        return .error(error)
    }

    /// Ends the request in progress and resets for the next one.
    mutating func completeRequest() -> Result {
        let request: HTTPRequest
        if let path = partial.path {
            request = HTTPRequest(
                method: partial.method, target: partial.target, path: path, query: partial.query,
                version: partial.version, headers: partial.headers, body: partial.body)
        } else {
            request = HTTPRequest(
                method: partial.method, target: partial.target, version: partial.version,
                headers: partial.headers, body: partial.body)
        }
        partial = PartialRequest()
        state = .requestLine
        isContinueRequested = false
        return .request(request)
    }

    /// Drops consumed bytes from the front of the buffer once they are worth moving.
    private mutating func compact() {
        guard readIndex > 0 else { return }

        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
        } else if readIndex >= Self.compactionThreshold {
            buffer.removeSubrange(0..<readIndex)
        } else {
            return
        }
        scanIndex -= readIndex
        readIndex = 0
    }
}
