import CHiredis

extension RedisValue {
    /// Copies a hiredis reply tree; the caller still owns `reply` and frees it.
    init(reply: UnsafeMutablePointer<redisReply>) {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STRING:
            self = .bulkString(Self.bytes(node.str, count: node.len))
        case REDIS_REPLY_STATUS:
            self = .simpleString(String(decoding: Self.bytes(node.str, count: node.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            self = .error(String(decoding: Self.bytes(node.str, count: node.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            self = .integer(Int64(node.integer))
        case REDIS_REPLY_ARRAY:
            self = .array(Self.elements(node.element, count: node.elements))
        default:
            // REDIS_REPLY_NIL, and any type that hiredis 0.14 does not define.
            self = .null
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) { start in
            Array(UnsafeBufferPointer(start: start, count: count))
        }
    }

    private static func elements(
        _ pointer: UnsafeMutablePointer<UnsafeMutablePointer<redisReply>?>?, count: Int
    ) -> [RedisValue] {
        guard let pointer else { return [] }
        return (0..<count).map { index in
            pointer[index].map { RedisValue(reply: $0) } ?? .null
        }
    }
}
