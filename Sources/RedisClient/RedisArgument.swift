/// One argument of a Redis command, as the bytes sent on the wire.
///
/// Arguments are binary-safe: they may contain NUL, CR and LF bytes.
public struct RedisArgument: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Creates an argument from the UTF-8 bytes of `string`.
    public init(_ string: String) {
        self.bytes = Array(string.utf8)
    }

    /// Creates an argument from the decimal text of `integer`, the form Redis expects for numbers.
    public init(_ integer: Int64) {
        self.init(String(integer))
    }

    public init(_ integer: Int) {
        self.init(String(integer))
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public init(integerLiteral value: Int64) {
        self.init(value)
    }
}
