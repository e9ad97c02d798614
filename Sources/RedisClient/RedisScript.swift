/// A Lua script run with EVALSHA, identified by the SHA1 of its source.
public struct RedisScript: Sendable, Hashable {
    public let source: String

    public init(source: String) {
        self.source = source
    }

    /// The arguments of `SCRIPT LOAD`, whose reply is the script's SHA1 in hex.
    public var loadArguments: [RedisArgument] {
        ["SCRIPT", "LOAD", RedisArgument(source)]
    }

    /// Builds `EVALSHA sha numkeys key… arg…`.
    public static func evalShaArguments(
        sha: String, keys: [RedisArgument], arguments: [RedisArgument]
    ) -> [RedisArgument] {
        ["EVALSHA", RedisArgument(sha), RedisArgument(keys.count)] + keys + arguments
    }

    /// Builds `EVAL source numkeys key… arg…`, which sends the whole source but
    /// works whether or not the server has the script cached.
    public func evalArguments(keys: [RedisArgument], arguments: [RedisArgument]) -> [RedisArgument] {
        ["EVAL", RedisArgument(source), RedisArgument(keys.count)] + keys + arguments
    }
}
