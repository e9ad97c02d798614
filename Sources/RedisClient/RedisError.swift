/// The one error type of the Redis client: a failed connection, a timeout, a
/// broken socket, an invalid URL or a rejected login.
///
/// An error reply to a single command is not a `RedisError`; it arrives as
/// `RedisValue.error` in that command's slot.
public struct RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// The TCP connection could not be established.
        case connectionFailed
        /// A connect, read or write took longer than its configured timeout.
        case timedOut
        /// A read or write on the socket failed.
        case ioFailure
        /// The server closed the connection.
        case connectionClosed
        /// The server sent bytes that are not valid RESP.
        case protocolError
        /// AUTH was rejected.
        case authenticationFailed
        /// A command that the client itself sends (SELECT, SCRIPT LOAD) got an error reply.
        case serverError
        /// A `redis://` URL could not be parsed.
        case invalidURL
        /// The connection failed earlier or was closed, so it is not used again.
        case connectionBroken
        /// A script was missing on the server (NOSCRIPT) and has been loaded again,
        /// so the same batch can be sent again.
        case scriptsReloaded
    }

    public var code: Code
    /// A description of the failure, which never contains a password.
    public var message: String
    /// The `errno` value of the failed system call, if there was one.
    public var underlyingErrno: Int32?

    public init(_ code: Code, _ message: String, errno underlyingErrno: Int32? = nil) {
        self.code = code
        self.message = message
        self.underlyingErrno = underlyingErrno
    }

    /// Whether sending the same commands again, on a new connection, can succeed.
    ///
    /// A timed-out or broken batch may have been applied in part or in full, so
    /// a retry is only safe for idempotent commands.
    public var isRetryable: Bool {
        switch code {
        case .connectionFailed, .timedOut, .ioFailure, .connectionClosed, .connectionBroken, .scriptsReloaded:
            true
        case .protocolError, .authenticationFailed, .serverError, .invalidURL:
            false
        }
    }

    public var description: String {
        var text = "redis \(code.rawValue): \(message)"
        if let underlyingErrno {
            text += " (errno \(underlyingErrno))"
        }
        return text
    }
}
