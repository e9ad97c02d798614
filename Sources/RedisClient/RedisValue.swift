/// One reply from Redis (RESP2).
public enum RedisValue: Sendable, Equatable {
    case simpleString(String)
    case bulkString([UInt8])
    case integer(Int64)
    case array([RedisValue])
    case null
    /// An error reply, such as `ERR unknown command` or `NOSCRIPT No matching script`.
    case error(String)

    /// The text of a bulk or simple string, decoded as UTF-8; nil for other
    /// replies and for bulk strings that are not valid UTF-8.
    public var string: String? {
        switch self {
        case .simpleString(let text):
            text
        case .bulkString(let bytes):
            String(validating: bytes, as: UTF8.self)
        default:
            nil
        }
    }

    /// An integer reply, or a bulk or simple string that contains a decimal integer
    /// (as `GET` returns for a counter).
    public var integer: Int64? {
        switch self {
        case .integer(let value):
            value
        case .simpleString, .bulkString:
            string.flatMap { Int64($0) }
        default:
            nil
        }
    }

    public var array: [RedisValue]? {
        if case .array(let elements) = self {
            return elements
        }
        return nil
    }

    public var isNull: Bool {
        self == .null
    }

    /// The message of an error reply; nil for every other reply.
    public var errorMessage: String? {
        if case .error(let message) = self {
            return message
        }
        return nil
    }
}
