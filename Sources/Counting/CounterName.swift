/// The name of a counter: 1 to 64 characters of `[a-z0-9._-]`.
///
/// Names appear inside Redis keys and their hash tags, so the alphabet leaves
/// out braces, colons and anything that needs escaping.
public struct CounterName: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let maxLength = 64
    public static let rule = "counter names are 1 to 64 characters of a-z, 0-9, '.', '_' and '-'"

    public let rawValue: String

    /// Validates `rawValue`; throws `CounterNameError` naming the rule when it breaks it.
    public init(_ rawValue: String) throws(CounterNameError) {
        let bytes = rawValue.utf8
        guard !bytes.isEmpty, bytes.count <= Self.maxLength else {
            throw CounterNameError(name: rawValue)
        }
        // Checking the contiguous bytes is several times cheaper than iterating the UTF-8 view.
        let isValid = bytes.withContiguousStorageIfAvailable { $0.allSatisfy(Self.isAllowed) }
            ?? bytes.allSatisfy(Self.isAllowed)
        guard isValid else {
            throw CounterNameError(name: rawValue)
        }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: CounterName, rhs: CounterName) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}

/// A counter name that breaks the naming rule.
public struct CounterNameError: Error, Equatable, CustomStringConvertible {
    /// The rejected name, possibly long or binary; callers truncate it before echoing it.
    public let name: String

    public var description: String {
        "invalid counter name: \(CounterName.rule)"
    }
}
