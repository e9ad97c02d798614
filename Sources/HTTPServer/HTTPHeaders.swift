/// Header fields of a request or response, in the order received or added.
///
/// Names compare case-insensitively (ASCII), as RFC 9110 requires; a name may
/// occur more than once.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Field = (name: String, value: String)

    private var fields: [Field]

    public init() {
        fields = []
    }

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The first value of the field `name`, or nil if there is none.
    public subscript(name: String) -> String? {
        fields.first(where: { Self.namesEqual($0.name, name) })?.value
    }

    /// Returns every value of the field `name`, in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.namesEqual($0.name, name) }.map(\.value)
    }

    public func contains(name: String) -> Bool {
        fields.contains(where: { Self.namesEqual($0.name, name) })
    }

    /// Appends a field, keeping any existing fields of the same name.
    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces every field named `name` with one field holding `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    public mutating func remove(name: String) {
        fields.removeAll(where: { Self.namesEqual($0.name, name) })
    }

    public var count: Int {
        fields.count
    }

    public var isEmpty: Bool {
        fields.isEmpty
    }

    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    /// Compares two field names ignoring ASCII case, without allocating.
    static func namesEqual(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count
            && zip(lhs.utf8, rhs.utf8).allSatisfy { ByteClass.lowercased($0) == ByteClass.lowercased($1) }
    }

    /// Returns whether the comma-separated list in the fields named `name` contains `token`, ignoring case.
    func containsToken(_ token: String, inField name: String) -> Bool {
        for value in values(for: name) {
            for element in value.split(separator: ",") {
                let trimmed = element.trimmingOptionalWhitespace()
                if Self.namesEqual(String(trimmed), token) {
                    return true
                }
            }
        }
        return false
    }
}

extension Substring {
    /// Returns the substring without leading and trailing spaces and tabs (OWS in RFC 9110).
    func trimmingOptionalWhitespace() -> Substring {
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isWhitespace($0) }) else { return self[endIndex...] }
        let last = lastIndex(where: { !isWhitespace($0) })!
        return self[first...last]
    }
}
