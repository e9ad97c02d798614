/// Reading of Content-Length and chunked bodies (RFC 9112, 6 and 7.1).
extension HTTPRequestParser {
    mutating func readFixedBody(remaining: Int) -> Result? {
        let taken = takeBodyBytes(upTo: remaining)
        guard taken > 0 else { return .needMore }

        if taken == remaining {
            return completeRequest()
        }
        state = .fixedBody(remaining: remaining - taken)
        return .needMore
    }

    mutating func parseChunkSizeStep() -> Result? {
        switch readLine(maxLength: Self.maxChunkSizeLineBytes) {
        case .needMore:
            return .needMore
        case .tooLong:
            return fail(.badRequest("chunk size line longer than \(Self.maxChunkSizeLineBytes) bytes"))
        case .line(let range):
            guard let size = Self.parseChunkSize(buffer[range]) else {
                return fail(.badRequest("invalid chunk size"))
            }
            if size == 0 {
                state = .trailers
            } else if size > limits.maxBodyBytes - partial.body.count {
                return fail(.bodyTooLarge(limit: limits.maxBodyBytes))
            } else {
                state = .chunkData(remaining: size)
            }
            return nil
        }
    }

    /// Parses `1*HEXDIG [ BWS ";" extensions ]`; extensions are ignored.
    /// A size too large for `Int` comes back as `Int.max`, which exceeds any body limit.
    static func parseChunkSize(_ line: ArraySlice<UInt8>) -> Int? {
        var size = 0
        var digits = 0
        var index = line.startIndex
        while index < line.endIndex, let value = ByteClass.hexValue(line[index]) {
            size = digits < 15 ? size * 16 + value : Int.max
            digits += 1
            index += 1
        }
        guard digits > 0 else { return nil }

        while index < line.endIndex, ByteClass.isOptionalWhitespace(line[index]) {
            index += 1
        }
        guard index == line.endIndex || line[index] == UInt8(ascii: ";") else { return nil }
        return size
    }

    mutating func readChunkData(remaining: Int) -> Result? {
        let taken = takeBodyBytes(upTo: remaining)
        guard taken > 0 else { return .needMore }

        state = taken == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - taken)
        return nil
    }

    /// Reads the CRLF that ends a chunk's data; anything else there is malformed.
    mutating func parseChunkDataEndStep() -> Result? {
        switch readLine(maxLength: 0) {
        case .needMore:
            return .needMore
        case .tooLong:
            return fail(.badRequest("chunk data not followed by CRLF"))
        case .line:
            state = .chunkSize
            return nil
        }
    }

    /// Reads trailer fields, which count against the header limits and are discarded.
    mutating func parseTrailerStep() -> Result? {
        switch readFieldLine() {
        case .finished(let result):
            return result
        case .endOfSection:
            return completeRequest()
        case .field(let range):
            if case .failure(let error) = Self.parseFieldLine(buffer[range]) {
                return fail(error)
            }
            return nil
        }
    }

    /// Moves up to `count` buffered bytes into the body; returns how many it moved.
    private mutating func takeBodyBytes(upTo count: Int) -> Int {
        let taken = min(count, buffer.count - readIndex)
        guard taken > 0 else { return 0 }

        partial.body.append(contentsOf: buffer[readIndex..<(readIndex + taken)])
        readIndex += taken
        scanIndex = readIndex
        return taken
    }
}
