/// The framing of a request body (RFC 9112, 6.3).
enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked

    /// Picks the framing from the header fields, rejecting ambiguous or unsupported ones.
    static func make(headers: HTTPHeaders, maxBodyBytes: Int) -> ParseOutcome<BodyFraming> {
        // Most requests have neither field; checking first avoids building two arrays per request.
        let hasTransferEncoding = headers.contains(name: "Transfer-Encoding")
        guard hasTransferEncoding || headers.contains(name: "Content-Length") else { return .success(.none) }

        let transferEncodings = hasTransferEncoding ? headers.values(for: "Transfer-Encoding") : []
        let contentLengths = headers.values(for: "Content-Length")

        if !transferEncodings.isEmpty {
            // Both fields together are a request smuggling vector (RFC 9112, 6.1).
            guard contentLengths.isEmpty else {
                return .failure(.badRequest("both Content-Length and Transfer-Encoding present"))
            }
            return transferCoding(transferEncodings)
        }
        guard !contentLengths.isEmpty else { return .success(.none) }
        return contentLength(contentLengths, maxBodyBytes: maxBodyBytes)
    }

    /// Accepts exactly one coding, `chunked`; anything else is not implemented.
    private static func transferCoding(_ values: [String]) -> ParseOutcome<BodyFraming> {
        let codings = values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .map { $0.trimmingOptionalWhitespace() }
        guard codings.allSatisfy({ !$0.isEmpty }) else {
            return .failure(.badRequest("empty Transfer-Encoding"))
        }
        guard codings.count == 1, HTTPHeaders.namesEqual(String(codings[0]), "chunked") else {
            let status = HTTPStatus.notImplemented
            return .failure(HTTPParseError(status: status, message: "transfer coding other than chunked"))
        }
        return .success(.chunked)
    }

    /// Parses one or more Content-Length values, which must all be the same number.
    private static func contentLength(_ values: [String], maxBodyBytes: Int)
        -> ParseOutcome<BodyFraming>
    {
        var length: Int?
        let elements = values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
        for element in elements {
            let digits = element.trimmingOptionalWhitespace().utf8
            guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else {
                return .failure(.badRequest("invalid Content-Length"))
            }
            // Values too long for Int are larger than any body limit.
            let value = digits.count > 18 ? Int.max : Int(Substring(digits))!
            if let length, length != value {
                return .failure(.badRequest("conflicting Content-Length values"))
            }
            length = value
        }

        guard let length, length > 0 else { return .success(.none) }
        guard length <= maxBodyBytes else { return .failure(.bodyTooLarge(limit: maxBodyBytes)) }
        return .success(.length(length))
    }
}
