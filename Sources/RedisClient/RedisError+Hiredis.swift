import CHiredis
import Glibc

// The one place where hiredis's `err` and `errstr` become a `RedisError`.
extension RedisError {
    /// Converts the error stored in `context` after a call returned `REDIS_ERR`.
    ///
    /// `savedErrno` must be read right after the failing call, before anything
    /// else can overwrite `errno`. In blocking mode hiredis 0.14 reports a read
    /// or write that hit `SO_RCVTIMEO`/`SO_SNDTIMEO` as `REDIS_ERR_IO` with
    /// `EAGAIN`, and a connect timeout as `REDIS_ERR_IO` with `ETIMEDOUT`.
    init(context: UnsafeMutablePointer<redisContext>, savedErrno: Int32, during operation: String) {
        let kind = context.pointee.err
        let detail = Self.errorString(of: context)

        switch kind {
        case REDIS_ERR_IO:
            self = Self.ioError(detail: detail, savedErrno: savedErrno, during: operation)
        case REDIS_ERR_EOF:
            self.init(.connectionClosed, "\(operation) failed: the server closed the connection")
        case REDIS_ERR_PROTOCOL:
            self.init(.protocolError, "\(operation) failed: \(detail)")
        default:
            self.init(.ioFailure, "\(operation) failed: \(detail)")
        }
    }

    private static func ioError(detail: String, savedErrno: Int32, during operation: String) -> RedisError {
        switch savedErrno {
        case EAGAIN, EWOULDBLOCK, ETIMEDOUT:
            RedisError(.timedOut, "\(operation) timed out", errno: savedErrno)
        default:
            RedisError(.ioFailure, "\(operation) failed: \(detail)", errno: savedErrno == 0 ? nil : savedErrno)
        }
    }

    /// Reads `errstr`, which Swift imports as a tuple of 128 `CChar`.
    private static func errorString(of context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: &context.pointee.errstr) { raw in
            let bytes = raw.prefix(while: { $0 != 0 })
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
