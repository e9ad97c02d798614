/// Parsing of the request line and the header section.
extension HTTPRequestParser {
    mutating func parseRequestLineStep() -> Result? {
        switch readLine(maxLength: limits.maxRequestLineBytes) {
        case .needMore:
            return .needMore
        case .tooLong:
            return fail(.requestLineTooLong(limit: limits.maxRequestLineBytes))
        case .line(let range):
            // RFC 9112, 2.2: a server should ignore empty lines before the request line.
            guard !range.isEmpty else { return nil }
            if let error = parseRequestLine(buffer[range]) {
                return fail(error)
            }
            state = .headerLines
            return nil
        }
    }

    /// Parses `method SP request-target SP HTTP-version` into `partial`.
    private mutating func parseRequestLine(_ line: ArraySlice<UInt8>) -> HTTPParseError? {
        guard let firstSpace = line.firstIndex(of: ByteClass.space) else {
            return .badRequest("malformed request line")
        }
        let method = line[..<firstSpace]
        guard !method.isEmpty, method.allSatisfy(ByteClass.isToken) else {
            return .badRequest("invalid character in method")
        }

        let rest = line[(firstSpace + 1)...]
        guard let secondSpace = rest.firstIndex(of: ByteClass.space) else {
            return .badRequest("malformed request line")
        }
        let target = rest[..<secondSpace]
        guard !target.isEmpty, target.allSatisfy(ByteClass.isVisible) else {
            return .badRequest("invalid character in request target")
        }

        guard let version = Self.parseVersion(rest[(secondSpace + 1)...]) else {
            return .badRequest("invalid HTTP version")
        }
        guard version.major == 1 else {
            return HTTPParseError(status: .httpVersionNotSupported, message: "only HTTP/1.x is supported")
        }

        partial.method = HTTPMethod(token: method)
        partial.target = String(decoding: target, as: UTF8.self)
        splitOriginForm(target)
        partial.version = version
        return nil
    }

    /// Splits an origin-form target (`/path?query`) into `partial.path` and
    /// `partial.query` from its bytes, which is cheaper than splitting the
    /// target string later. `HTTPRequest` splits the other forms.
    private mutating func splitOriginForm(_ target: ArraySlice<UInt8>) {
        guard target.first == UInt8(ascii: "/") else {
            partial.path = nil
            return
        }
        guard let mark = target.firstIndex(of: UInt8(ascii: "?")) else {
            partial.path = partial.target
            partial.query = nil
            return
        }
        partial.path = String(decoding: target[..<mark], as: UTF8.self)
        partial.query = String(decoding: target[(mark + 1)...], as: UTF8.self)
    }

    private static let versionPrefix = Array("HTTP/".utf8)

    /// Parses exactly `HTTP/<digit>.<digit>`.
    private static func parseVersion(_ bytes: ArraySlice<UInt8>) -> HTTPVersion? {
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard bytes.count == 8, bytes.starts(with: Self.versionPrefix) else { return nil }

        let major = bytes[bytes.startIndex + 5]
        let dot = bytes[bytes.startIndex + 6]
        let minor = bytes[bytes.startIndex + 7]
        guard digits.contains(major), dot == UInt8(ascii: "."), digits.contains(minor) else { return nil }
        return HTTPVersion(major: Int(major - digits.lowerBound), minor: Int(minor - digits.lowerBound))
    }

    /// Outcome of `readFieldLine`: the step's result, the end of the section, or a field line.
    enum FieldLineRead {
        case finished(Result)
        case endOfSection
        case field(Range<Int>)
    }

    /// Reads one line of a header or trailer section and counts it against
    /// the section's byte and field limits, which both sections share.
    mutating func readFieldLine() -> FieldLineRead {
        let limit = limits.maxHeaderBytes
        switch readLine(maxLength: max(limit - partial.fieldBytes - 2, 0)) {
        case .needMore:
            return .finished(.needMore)
        case .tooLong:
            return .finished(fail(.headerSectionTooLarge(limit: limit)))
        case .line(let range):
            guard !range.isEmpty else { return .endOfSection }
            guard partial.fieldCount < limits.maxHeaderCount else {
                return .finished(fail(.tooManyHeaders(limit: limits.maxHeaderCount)))
            }
            partial.fieldBytes += range.count + 2
            partial.fieldCount += 1
            return .field(range)
        }
    }

    mutating func parseHeaderLineStep() -> Result? {
        let range: Range<Int>
        switch readFieldLine() {
        case .finished(let result):
            return result
        case .endOfSection:
            return finishHead()
        case .field(let line):
            range = line
        }

        switch Self.parseFieldLine(buffer[range]) {
        case .failure(let error):
            return fail(error)
        case .success(let field):
            if partial.fieldCount == 1 {
                // Requests through a proxy carry several fields; growing the array one by one reallocates.
                partial.headers.reserveCapacity(8)
            }
            noteParserField(field.name)
            partial.headers.add(
                name: String(decoding: field.name, as: UTF8.self),
                value: String(decoding: field.value, as: UTF8.self))
            return nil
        }
    }

    /// Splits `name ":" OWS value OWS` and checks both parts (RFC 9112, 5).
    static func parseFieldLine(_ line: ArraySlice<UInt8>)
        -> ParseOutcome<(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>)>
    {
        guard let first = line.first, !ByteClass.isOptionalWhitespace(first) else {
            return .failure(.badRequest("header line starts with whitespace (obsolete line folding)"))
        }
        guard let colon = line.firstIndex(of: ByteClass.colon) else {
            return .failure(.badRequest("header line without a colon"))
        }
        let name = line[..<colon]
        guard let last = name.last, !ByteClass.isOptionalWhitespace(last) else {
            return .failure(.badRequest("whitespace between header name and colon"))
        }
        guard name.allSatisfy(ByteClass.isToken) else {
            return .failure(.badRequest("invalid character in header name"))
        }

        var value = line[(colon + 1)...]
        while let byte = value.first, ByteClass.isOptionalWhitespace(byte) { value = value.dropFirst() }
        while let byte = value.last, ByteClass.isOptionalWhitespace(byte) { value = value.dropLast() }
        guard value.allSatisfy(ByteClass.isFieldValue) else {
            return .failure(.badRequest("invalid character in header value"))
        }
        return .success((name, value))
    }

    /// Checks the complete header section and picks how the body is framed.
    private mutating func finishHead() -> Result? {
        if let error = checkHost() {
            return fail(error)
        }

        var framing = BodyFraming.none
        if partial.hasFramingField {
            switch BodyFraming.make(headers: partial.headers, maxBodyBytes: limits.maxBodyBytes) {
            case .failure(let error): return fail(error)
            case .success(let value): framing = value
            }
        }

        switch framing {
        case .none:
            return completeRequest()
        case .length(let length):
            partial.body.reserveCapacity(length)
            state = .fixedBody(remaining: length)
        case .chunked:
            state = .chunkSize
        }
        isContinueRequested = expectsContinue()
        return nil
    }

    /// RFC 9112, 3.2: an HTTP/1.1 request has exactly one Host field.
    private func checkHost() -> HTTPParseError? {
        let hosts = partial.hostCount
        if hosts > 1 {
            return .badRequest("more than one Host header")
        }
        if hosts == 0 && partial.version.minor >= 1 {
            return .badRequest("missing Host header")
        }
        return nil
    }

    private static let hostName = Array("host".utf8)
    private static let contentLengthName = Array("content-length".utf8)
    private static let transferEncodingName = Array("transfer-encoding".utf8)

    /// Counts the fields that the end of the head checks, as each is read,
    /// so that finishing the head needs no search through every field by name.
    private mutating func noteParserField(_ name: ArraySlice<UInt8>) {
        if Self.nameMatches(name, Self.hostName) {
            partial.hostCount += 1
        } else if Self.nameMatches(name, Self.contentLengthName) || Self.nameMatches(name, Self.transferEncodingName) {
            partial.hasFramingField = true
        }
    }

    /// Compares a field name with a lowercase name, ignoring ASCII case.
    private static func nameMatches(_ name: ArraySlice<UInt8>, _ lowercase: [UInt8]) -> Bool {
        name.count == lowercase.count && zip(name, lowercase).allSatisfy { ByteClass.lowercased($0) == $1 }
    }

    private func expectsContinue() -> Bool {
        guard partial.version.minor >= 1, let expect = partial.headers["Expect"] else { return false }
        return HTTPHeaders.namesEqual(expect, "100-continue")
    }
}
