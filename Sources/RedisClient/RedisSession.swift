import Observability

/// A Redis connection that reconnects on demand and keeps Lua scripts loaded.
///
/// The session connects lazily on the first call. After any failure it drops
/// the connection, because replies on it may be out of step, and connects
/// again on the next call. It never retries by itself: the caller owns retry
/// and backoff, since only the caller knows whether a batch is safe to resend.
///
/// Every new connection loads `scripts` with `SCRIPT LOAD`, so a server that
/// restarted empty gets them again before the first EVALSHA.
///
/// Threading: owned by one thread at a time, like `RedisConnection`; it is
/// `@unchecked Sendable` only so that it can be handed to that thread.
public final class RedisSession: @unchecked Sendable {
    public let configuration: RedisConfiguration
    public let scripts: [RedisScript]
    let logger: Logger
    let reconnectCounter: Counter?

    /// The open connection, or nil before the first call and after a failure.
    var connection: RedisConnection?
    /// SHA1 hex digests by script source, as `SCRIPT LOAD` returned them; a
    /// digest depends only on the source, so it stays valid across connections.
    var digests: [String: String] = [:]
    /// Connections opened successfully, the first one included.
    public internal(set) var connectionCount = 0

    /// Creates a session; nothing connects until the first call.
    ///
    /// `reconnectCounter`, if given, is incremented for every connection
    /// after the first. The session logs at debug level only.
    public init(
        configuration: RedisConfiguration, logger: Logger, scripts: [RedisScript] = [],
        reconnectCounter: Counter? = nil
    ) {
        self.configuration = configuration
        self.logger = logger
        self.scripts = scripts
        self.reconnectCounter = reconnectCounter
    }

    /// Connections opened after the first one.
    public var reconnects: Int {
        max(connectionCount - 1, 0)
    }

    /// Whether a connection is open and not broken.
    public var isConnected: Bool {
        connection.map { !$0.isBroken } ?? false
    }

    /// Connects and loads the scripts now, unless a usable connection exists.
    ///
    /// Callers use it to learn the script digests before building EVALSHA
    /// commands, or to check that Redis is reachable.
    public func connect() throws(RedisError) {
        _ = try usableConnection()
    }

    /// Drops the connection; the next call connects again.
    public func close() {
        connection?.close()
        connection = nil
    }

    /// Sends `commands` in one pipeline and returns one reply per command.
    ///
    /// Error replies come back in their slots, except NOSCRIPT: if any reply
    /// is NOSCRIPT, the session loads the scripts again on the same connection
    /// and throws `.scriptsReloaded`. The other commands of that batch have
    /// run, so the caller sends the batch again only if it is idempotent, as
    /// the sequence-checked flush scripts are. Any other failure drops the
    /// connection and rethrows.
    public func pipeline(_ commands: [[RedisArgument]]) throws(RedisError) -> [RedisValue] {
        let connection = try usableConnection()

        let replies: [RedisValue]
        do {
            replies = try connection.pipeline(commands)
        } catch {
            drop(connection, after: error)
            throw error
        }

        let missingScripts = replies.filter { $0.errorMessage?.hasPrefix("NOSCRIPT") ?? false }.count
        if missingScripts > 0 {
            try reloadScripts(on: connection, missing: missingScripts)
        }
        return replies
    }

    /// The SHA1 hex digest of `script`, known once a connection has loaded it.
    /// It is nil before the first connection and for a script not passed to `init`.
    public func sha(of script: RedisScript) -> String? {
        digests[script.source]
    }

    /// Builds `EVALSHA sha numkeys key… arg…` for `script`.
    ///
    /// Before the first connection the digest is unknown, and this builds
    /// `EVAL source …` instead, which gives the same result.
    public func evalShaArguments(
        _ script: RedisScript, keys: [RedisArgument], arguments: [RedisArgument]
    ) -> [RedisArgument] {
        guard let sha = sha(of: script) else {
            return script.evalArguments(keys: keys, arguments: arguments)
        }
        return RedisScript.evalShaArguments(sha: sha, keys: keys, arguments: arguments)
    }
}
