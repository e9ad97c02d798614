import Foundation
import RedisClient
import TestSupport

/// Makes a key with a fresh UUID in it, so tests never see each other's keys.
func uniqueKey(_ name: String) -> RedisArgument {
    RedisArgument("test:\(UUID().uuidString):\(name)")
}

extension RedisServerFixture {
    func configuration(
        username: String? = nil, password: String? = nil, replyTimeout: Duration = .seconds(2)
    ) -> RedisConfiguration {
        RedisConfiguration(
            host: host, port: port, username: username, password: password, replyTimeout: replyTimeout)
    }

    func connect(password: String? = nil) throws(RedisError) -> RedisConnection {
        try RedisConnection.connect(configuration(password: password))
    }
}

/// Runs `body` and returns the `RedisError` it throws, or nil if it returns.
func redisError(_ body: () throws(RedisError) -> Void) -> RedisError? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}
