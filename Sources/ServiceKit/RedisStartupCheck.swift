import FoundationEssentials
import Observability
import RedisClient

/// The check both executables run before they start: connect to Redis once,
/// authenticate, select the database and send PING.
///
/// Redis may start after the service (a compose file, a reboot), so an
/// unreachable Redis is only a warning and the service retries in the
/// background. Rejected credentials, a missing password or a rejected
/// database never fix themselves, so they stop the start with a message that
/// names the setting to correct and never contains the password.
public enum RedisStartupCheck {
    /// The result of a check that did not find a configuration error.
    public enum Outcome: Equatable, Sendable {
        case ready
        /// The TCP connection failed or timed out; the text gives the reason.
        case unreachable(String)
    }

    /// Connects once with `configuration` and sends PING.
    ///
    /// `passwordSetting` names where the password came from, such as
    /// `REDIS_PASSWORD_FILE (--redis-password-file)`, for the message.
    /// Blocks for up to the connect timeout plus a few reply timeouts.
    /// Throws `ConfigurationError` when Redis rejects the credentials,
    /// requires a password that none of the settings gave, or rejects the database.
    public static func run(
        _ configuration: RedisConfiguration, passwordSetting: String
    ) throws(ConfigurationError) -> Outcome {
        let connection: RedisConnection
        do {
            connection = try RedisConnection.connect(configuration)
        } catch {
            return try outcome(of: error, configuration: configuration, passwordSetting: passwordSetting)
        }
        defer { connection.close() }

        let reply: RedisValue
        do {
            reply = try connection.command("PING")
        } catch {
            return .unreachable(error.description)
        }
        if let message = reply.errorMessage {
            throw rejectedPing(message, configuration: configuration)
        }
        return .ready
    }

    /// Runs the check for an executable: prints a configuration error to
    /// standard error as `<program>: <message>` and returns exit status 2,
    /// logs a warning for an unreachable Redis, and returns nil to go on.
    public static func exitStatus(
        _ configuration: RedisConfiguration, passwordSetting: String, program: String, logger: Logger
    ) -> Int32? {
        do {
            if case .unreachable(let reason) = try run(configuration, passwordSetting: passwordSetting) {
                logger.warning(
                    "redis unreachable at start-up; starting anyway and retrying in the background",
                    ["redis": configuration.redactedDescription, "error": reason])
            }
            return nil
        } catch {
            StandardErrorSink().write("\(program): \(error.message)\n")
            return 2
        }
    }

    private static func outcome(
        of error: RedisError, configuration: RedisConfiguration, passwordSetting: String
    ) throws(ConfigurationError) -> Outcome {
        switch error.code {
        case .authenticationFailed:
            // The handshake's message ends with Redis's error code, such as WRONGPASS.
            let code = error.message.split(separator: " ").last.map(String.init) ?? "ERR"
            let user = configuration.username ?? "default"
            let hint = passwordSetting.hasPrefix("REDIS_PASSWORD_FILE")
                ? "check the file, and the user name in REDIS_URL" : "check the user name and the password"
            throw ConfigurationError(
                "Redis at \(configuration.redactedDescription) rejected the password from \(passwordSetting) "
                    + "for user '\(user)' (\(code)); \(hint)")
        case .serverError:
            throw ConfigurationError(
                "Redis at \(configuration.redactedDescription) rejected the connection setup (\(error.message)); "
                    + "check the database number in REDIS_URL (--redis-url)")
        default:
            return .unreachable(error.description)
        }
    }

    /// Makes the error for an error reply to PING. NOAUTH means that Redis
    /// requires a password that no setting gave, and NOPERM that the user may not run PING.
    private static func rejectedPing(_ message: String, configuration: RedisConfiguration) -> ConfigurationError {
        let code = message.split(separator: " ").first.map(String.init) ?? "ERR"
        if code == "NOAUTH" {
            return ConfigurationError(
                "Redis at \(configuration.redactedDescription) requires a password (NOAUTH); "
                    + "set one in REDIS_URL (--redis-url) or REDIS_PASSWORD_FILE (--redis-password-file)")
        }
        let user = configuration.username ?? "default"
        return ConfigurationError(
            "Redis at \(configuration.redactedDescription) rejected PING from user '\(user)' (\(code)); "
                + "check the user's ACL rules")
    }
}
