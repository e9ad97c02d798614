/// Connection settings for one Redis server: address, credentials, database and timeouts.
public struct RedisConfiguration: Sendable, Equatable {
    /// A host name or an IP address; an IPv6 address without brackets.
    public var host: String
    public var port: Int
    /// The ACL user for `AUTH user password`; nil authenticates with the password alone.
    public var username: String?
    public var password: String?
    /// The logical database chosen with `SELECT`; 0 sends no `SELECT`.
    public var database: Int
    /// The maximum time a TCP connect may take.
    public var connectTimeout: Duration
    /// The maximum time a read or write on an open connection may block.
    public var replyTimeout: Duration

    public init(
        host: String,
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        connectTimeout: Duration = .seconds(1),
        replyTimeout: Duration = .seconds(1)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.replyTimeout = replyTimeout
    }

    /// Parses `redis://[user:password@]host[:port][/db]`.
    ///
    /// User name and password are percent-decoded, an IPv6 host goes in
    /// brackets (`redis://[::1]:6379`), and a missing port or database means
    /// 6379 or 0. Throws `.invalidURL` with a message that names the invalid
    /// part; the message never contains the password.
    ///
    /// With `passwordSuppliedSeparately`, `redis://user@host` is accepted as a
    /// user name whose password the caller sets afterwards, for instance from a file.
    public init(url: String, passwordSuppliedSeparately: Bool = false) throws(RedisError) {
        var parser = RedisURLParser(url: url, allowsUserWithoutPassword: passwordSuppliedSeparately)
        self = try parser.parse()
    }

    /// The URL with the password replaced by `***`, for logs.
    public var redactedDescription: String {
        var text = "redis://"
        if let username {
            text += username
        }
        if username != nil || password != nil {
            text += password == nil ? "@" : ":***@"
        }
        text += host.contains(":") ? "[\(host)]" : host
        text += ":\(port)/\(database)"
        return text
    }
}
