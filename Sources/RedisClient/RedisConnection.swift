import CHiredis
import Glibc

/// One blocking TCP connection to Redis, wrapping a hiredis context.
///
/// Threading: a connection is owned by one thread at a time. It is
/// `@unchecked Sendable` so that it can be handed to another thread. Two
/// threads must never call it at the same time, because nothing here locks.
///
/// Once a call fails with a timeout, an I/O error or EOF, the connection is
/// broken: replies may be missing or out of step, so every later call throws
/// `.connectionBroken` without touching the socket.
public final class RedisConnection: @unchecked Sendable {
    /// The hiredis context; nil after `close()`. Owned by the calling thread.
    private var context: UnsafeMutablePointer<redisContext>?
    private var broken = false
    public let configuration: RedisConfiguration

    private init(context: UnsafeMutablePointer<redisContext>, configuration: RedisConfiguration) {
        self.context = context
        self.configuration = configuration
    }

    deinit {
        if let context {
            redisFree(context)
        }
    }

    /// Connects, then sets the reply timeout, TCP keepalive, AUTH and SELECT.
    ///
    /// Blocks for up to `connectTimeout` for the TCP connect and up to
    /// `replyTimeout` for each handshake reply. Throws `.connectionFailed`,
    /// `.timedOut`, `.authenticationFailed` (the message never contains the
    /// password) or `.serverError` when SELECT is rejected.
    public static func connect(_ configuration: RedisConfiguration) throws(RedisError) -> RedisConnection {
        SignalSetup.ignoreBrokenPipe()
        let context = try openContext(configuration)
        let connection = RedisConnection(context: context, configuration: configuration)
        try connection.configureSocket()
        try connection.authenticate()
        try connection.selectDatabase()
        return connection
    }

    /// Whether the connection failed or was closed; a broken connection is never used again.
    public var isBroken: Bool {
        broken || context == nil
    }

    /// Frees the hiredis context and closes the socket; calling it again does nothing.
    public func close() {
        guard let context else { return }

        redisFree(context)
        self.context = nil
        broken = true
    }

    /// Sends one command and reads its reply; an error reply is returned as `.error`.
    @discardableResult
    public func command(_ arguments: RedisArgument...) throws(RedisError) -> RedisValue {
        try command(arguments)
    }

    /// Sends one command and reads its reply; an error reply is returned as `.error`.
    @discardableResult
    public func command(_ arguments: [RedisArgument]) throws(RedisError) -> RedisValue {
        try pipeline([arguments])[0]
    }

    /// Sends all `commands` in one write and reads one reply per command, in order.
    ///
    /// An error reply to one command is returned as `.error` in its slot and
    /// the other replies are still read. A timeout, an I/O error or EOF at any
    /// point, including halfway through the replies, throws and breaks the
    /// connection, because the commands whose replies were not read may or may
    /// not have run. Blocks for up to `replyTimeout` per read or write.
    public func pipeline(_ commands: [[RedisArgument]]) throws(RedisError) -> [RedisValue] {
        let context = try usableContext()
        guard !commands.isEmpty else { return [] }

        for arguments in commands {
            precondition(!arguments.isEmpty, "a Redis command needs at least one argument")
            try append(arguments, to: context)
        }
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            replies.append(try readReply(from: context))
        }
        return replies
    }

    private func usableContext() throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        guard let context else {
            throw RedisError(.connectionBroken, "the connection is closed")
        }
        guard !broken else {
            throw RedisError(.connectionBroken, "the connection failed earlier and is not reused")
        }
        return context
    }

    /// Marks the connection broken and returns the error in `context`.
    private func fail(_ context: UnsafeMutablePointer<redisContext>, savedErrno: Int32, during operation: String)
        -> RedisError
    {
        broken = true
        return RedisError(context: context, savedErrno: savedErrno, during: operation)
    }
}

extension RedisConnection {
    private static func openContext(
        _ configuration: RedisConfiguration
    ) throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        guard let port = Int32(exactly: configuration.port), (1...65535).contains(port) else {
            throw RedisError(.connectionFailed, "port \(configuration.port) is not from 1 to 65535")
        }
        guard let context = redisConnectWithTimeout(configuration.host, port, makeTimeval(configuration.connectTimeout))
        else {
            throw RedisError(.connectionFailed, "could not allocate a hiredis context")
        }
        guard context.pointee.err == 0 else {
            let savedErrno = errno
            var error = RedisError(context: context, savedErrno: savedErrno, during: "connect")
            redisFree(context)
            if error.code != .timedOut {
                error.code = .connectionFailed
            }
            error.message += " (\(configuration.host):\(configuration.port))"
            throw error
        }
        return context
    }

    private func configureSocket() throws(RedisError) {
        let context = try usableContext()

        guard redisSetTimeout(context, makeTimeval(configuration.replyTimeout)) == REDIS_OK else {
            throw fail(context, savedErrno: errno, during: "setting the reply timeout")
        }
        // Keepalive finds a peer that vanished without closing while the
        // connection sits idle between flushes.
        guard redisEnableKeepAlive(context) == REDIS_OK else {
            throw fail(context, savedErrno: errno, during: "enabling TCP keepalive")
        }
    }

    /// Appends one command to hiredis's output buffer; nothing is sent yet.
    private func append(_ arguments: [RedisArgument], to context: UnsafeMutablePointer<redisContext>)
        throws(RedisError)
    {
        // hiredis copies the arguments into its output buffer, so these
        // buffers only need to live for the call.
        var buffers = arguments.map { argument in
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(argument.bytes.count, 1))
            argument.bytes.withUnsafeBytes { source in
                UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress!, byteCount: source.count)
            }
            return Optional(buffer)
        }
        defer { buffers.forEach { $0?.deallocate() } }
        let lengths = arguments.map { $0.bytes.count }

        let result = buffers.withUnsafeMutableBufferPointer { pointers in
            pointers.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: pointers.count) {
                argv in
                redisAppendCommandArgv(context, Int32(arguments.count), argv, lengths)
            }
        }
        guard result == REDIS_OK else {
            throw fail(context, savedErrno: errno, during: "queueing a command")
        }
    }

    /// Flushes the output buffer if needed, then blocks until one reply is read.
    private func readReply(from context: UnsafeMutablePointer<redisContext>) throws(RedisError) -> RedisValue {
        var reply: UnsafeMutableRawPointer?
        guard redisGetReply(context, &reply) == REDIS_OK, let reply else {
            throw fail(context, savedErrno: errno, during: "reading a reply")
        }
        defer { freeReplyObject(reply) }

        return RedisValue(reply: reply.assumingMemoryBound(to: redisReply.self))
    }
}
