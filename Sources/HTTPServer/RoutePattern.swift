/// A path pattern such as `/api/v1/counters/:name/views`: literal segments
/// match exactly, `:name` segments match any one non-empty segment.
struct RoutePattern: Sendable {
    enum Segment: Sendable, Equatable {
        case literal(Substring)
        case parameter(String)
    }

    let text: String
    let segments: [Segment]

    init(_ text: String) {
        self.text = text
        segments = text.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? .parameter(String(segment.dropFirst())) : .literal(segment)
        }
    }

    /// Matches `pathSegments` and returns the captured parameters, or nil if they do not match.
    func match(_ pathSegments: [Substring]) -> RouteParameters? {
        guard pathSegments.count == segments.count else { return nil }

        var captured: [(name: String, value: String)] = []
        for (segment, pathSegment) in zip(segments, pathSegments) {
            switch segment {
            case .literal(let literal):
                guard literal == pathSegment else { return nil }
            case .parameter(let name):
                guard !pathSegment.isEmpty else { return nil }
                captured.append((name, String(pathSegment)))
            }
        }
        return RouteParameters(captured)
    }

    /// Splits a request path the same way patterns are split.
    static func segments(ofPath path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: false)
    }
}
