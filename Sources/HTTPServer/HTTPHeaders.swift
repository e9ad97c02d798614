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

    // The lookups below are plain loops: they run several times per request,
    // and the closure-based `filter`/`map` versions allocated arrays each time.

    /// The first value of the field `name`, or nil if there is none.
    public subscript(name: String) -> String? {
        for field in fields where Self.namesEqual(field.name, name) {
            return field.value
        }
        return nil
    }

    /// Returns every value of the field `name`, in order.
    public func values(for name: String) -> [String] {
        var values: [String] = []
        for field in fields where Self.namesEqual(field.name, name) {
            values.append(field.value)
        }
        return values
    }

    public func contains(name: String) -> Bool {
        for field in fields where Self.namesEqual(field.name, name) {
            return true
        }
        return false
    }

    /// Reserves room for `count` fields, so that adding them allocates once.
    mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
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

    /// Whether both have the same fields in the same order, names compared exactly.
    /// Strings that share storage compare in constant time, so this is cheap for
    /// header lists that a handler reuses.
    func fieldsEqual(_ other: HTTPHeaders) -> Bool {
        guard fields.count == other.fields.count else { return false }
        for (field, otherField) in zip(fields, other.fields)
        where field.name != otherField.name || field.value != otherField.value {
            return false
        }
        return true
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
        guard lhs.utf8.count == rhs.utf8.count else { return false }

        // Comparing the strings' contiguous bytes avoids the per-byte cost of UTF8View iteration.
        let contiguous: Bool?? = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                bytesEqualIgnoringCase(left, right)
            }
        }
        if case .some(.some(let equal)) = contiguous {
            return equal
        }
        // Strings without contiguous UTF-8 storage take the copying path.
        return bytesEqualIgnoringCase(Array(lhs.utf8), Array(rhs.utf8))
    }

    private static func bytesEqualIgnoringCase(
        _ left: some RandomAccessCollection<UInt8>, _ right: some RandomAccessCollection<UInt8>
    ) -> Bool {
        guard left.count == right.count else { return false }
        for (a, b) in zip(left, right) where a != b && ByteClass.lowercased(a) != ByteClass.lowercased(b) {
            return false
        }
        return true
    }

    /// Returns whether the comma-separated list in the fields named `name` contains `token`, ignoring case.
    func containsToken(_ token: String, inField name: String) -> Bool {
        // Indexing reads the name in place; iterating copied (and retained) every field.
        for index in fields.indices where Self.namesEqual(fields[index].name, name) {
            for element in fields[index].value.split(separator: ",") {
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
