@testable import HTTPServer

/// What a parser returned for some input: the requests, then the error if one ended the stream.
struct ParseOutput {
    var requests: [HTTPRequest] = []
    var error: HTTPParseError?
}

extension HTTPRequestParser {
    /// Calls `next()` until it needs more bytes or fails.
    mutating func drain() -> ParseOutput {
        var output = ParseOutput()
        while true {
            switch next() {
            case .needMore:
                return output
            case .request(let request):
                output.requests.append(request)
            case .error(let error):
                output.error = error
                return output
            }
        }
    }
}

/// Parses `text` in one piece with `limits`.
func parse(_ text: String, limits: HTTPRequestParser.Limits = .init()) -> ParseOutput {
    var parser = HTTPRequestParser(limits: limits)
    parser.append(Array(text.utf8))
    return parser.drain()
}

/// Returns the status code of the error that parsing `text` ends with, or nil if none.
func errorStatus(_ text: String) -> Int? {
    parse(text).error?.status.code
}
