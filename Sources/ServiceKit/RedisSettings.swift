import FoundationEssentials
import RedisClient

/// The Redis settings both executables share: `REDIS_URL` and `REDIS_PASSWORD_FILE`.
public enum RedisSettings {
    public static let options = [
        OptionSpec(
            variable: "REDIS_URL", flag: "--redis-url",
            summary: "Redis to use, redis://[user:password@]host:port[/db]",
            defaultDescription: "unset"),
        OptionSpec(
            variable: "REDIS_PASSWORD_FILE", flag: "--redis-password-file",
            summary: "file whose first line is the Redis password; overrides a password in REDIS_URL",
            defaultDescription: "unset"),
    ]

    /// Builds the Redis configuration, or returns nil when `REDIS_URL` is unset.
    /// Error messages name the setting and never contain the password.
    public static func configuration(from values: OptionValues) throws(ConfigurationError) -> RedisConfiguration? {
        guard let url = values.string("REDIS_URL") else {
            if values.string("REDIS_PASSWORD_FILE") != nil {
                throw ConfigurationError("REDIS_PASSWORD_FILE (--redis-password-file) is set but REDIS_URL (--redis-url) is not")
            }
            return nil
        }

        var configuration: RedisConfiguration
        do {
            configuration = try RedisConfiguration(
                url: url, passwordSuppliedSeparately: values.string("REDIS_PASSWORD_FILE") != nil)
        } catch {
            let prefix = "invalid Redis URL: "
            let detail = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
            throw ConfigurationError("invalid \(values.name("REDIS_URL")): \(detail)")
        }
        if let path = values.string("REDIS_PASSWORD_FILE") {
            configuration.password = try readPassword(at: path, name: values.name("REDIS_PASSWORD_FILE"))
        }
        return configuration
    }

    /// Returns the name of the setting that gives the Redis password, as messages
    /// write it: `REDIS_PASSWORD_FILE (--redis-password-file)` when that is set,
    /// else `REDIS_URL (--redis-url)`.
    public static func passwordSetting(from values: OptionValues) -> String {
        values.string("REDIS_PASSWORD_FILE") != nil ? values.name("REDIS_PASSWORD_FILE") : values.name("REDIS_URL")
    }

    private static func readPassword(at path: String, name: String) throws(ConfigurationError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("cannot read \(name): no readable file at \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError("invalid \(name): \(path) is not UTF-8 text")
        }
        // The first line ends at the first line-feed byte. Bytes rather than
        // Characters, because Swift treats "\r\n" as one Character.
        var line = Array(text.utf8.prefix { $0 != UInt8(ascii: "\n") })
        while line.last == UInt8(ascii: "\r") {
            line.removeLast()
        }
        let password = String(decoding: line, as: UTF8.self)
        guard !password.isEmpty else {
            throw ConfigurationError("invalid \(name): \(path) is empty")
        }
        return password
    }
}
