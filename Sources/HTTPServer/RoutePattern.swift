import Glibc

/// A path pattern such as `/api/v1/counters/:name/views`: literal segments
/// match exactly, `:name` segments match any one non-empty segment.
struct RoutePattern: Sendable {
    enum Segment: Sendable, Equatable {
        /// The segment's UTF-8 bytes, compared byte for byte with the path.
        case literal([UInt8])
        case parameter(String)
    }

    let text: String
    let segments: [Segment]

    init(_ text: String) {
        self.text = text
        segments = text.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? .parameter(String(segment.dropFirst())) : .literal(Array(segment.utf8))
        }
    }

    /// Returns the captured parameters if `path` matches, else nil.
    ///
    /// Walks the path's bytes segment by segment, the way `split(separator: "/")`
    /// would cut it, without building an array of substrings for every request.
    func match(_ path: String) -> RouteParameters? {
        var path = path
        return path.withUTF8 { match(bytes: $0) }
    }

    private func match(bytes: UnsafeBufferPointer<UInt8>) -> RouteParameters? {
        var captured: [(name: String, value: String)] = []
        var start = 0
        for position in segments.indices {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "/") {
                end += 1
            }
            let isLastSegment = position == segments.count - 1
            // The last pattern segment must take the rest of the path; any other needs a "/" after it.
            guard isLastSegment == (end == bytes.count) else { return nil }

            let pathSegment = UnsafeBufferPointer(rebasing: bytes[start..<end])
            switch segments[position] {
            case .literal(let literal):
                guard Self.bytesEqual(pathSegment, literal) else { return nil }
            case .parameter(let name):
                guard !pathSegment.isEmpty else { return nil }
                captured.append((name, String(decoding: pathSegment, as: UTF8.self)))
            }
            start = end + 1
        }
        return RouteParameters(captured)
    }

    /// Compares lengths first, then bytes with `memcmp`; the generic
    /// `elementsEqual` was the most expensive step of routing.
    private static func bytesEqual(_ segment: UnsafeBufferPointer<UInt8>, _ literal: [UInt8]) -> Bool {
        guard segment.count == literal.count else { return false }
        guard let base = segment.baseAddress, !literal.isEmpty else { return true }
        return literal.withUnsafeBufferPointer { memcmp(base, $0.baseAddress!, literal.count) == 0 }
    }
}
