/// Values captured by the `:name` segments of a route pattern.
///
/// Values are raw path segments, not percent-decoded.
public struct RouteParameters: Sendable {
    private var values: [(name: String, value: String)]

    public init(_ values: [(name: String, value: String)] = []) {
        self.values = values
    }

    /// The value captured for `name`, or nil if the pattern has no such parameter.
    public subscript(name: String) -> String? {
        values.first(where: { $0.name == name })?.value
    }

    public var count: Int {
        values.count
    }
}
