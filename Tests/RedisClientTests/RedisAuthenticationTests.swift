import RedisClient
import TestSupport
import Testing

@Suite struct RedisAuthenticationTests {
    static let password = "c0rrect-h0rse"

    @Test func correctPasswordAuthenticates() throws {
        let server = try RedisServerFixture.start(arguments: ["--requirepass", Self.password])
        defer { server.stop() }

        let connection = try server.connect(password: Self.password)

        #expect(try connection.command("PING") == .simpleString("PONG"))
    }

    @Test func wrongPasswordIsRejected() throws {
        let server = try RedisServerFixture.start(arguments: ["--requirepass", Self.password])
        defer { server.stop() }
        let wrong = "wr0ng-batt3ry"

        let error = redisError { () throws(RedisError) in _ = try server.connect(password: wrong) }

        #expect(error?.code == .authenticationFailed)
        #expect(error?.isRetryable == false)
        #expect(error?.description.contains(wrong) == false)
        #expect(error?.description.contains("WRONGPASS") == true)
    }

    @Test func missingPasswordGivesNoAuthReply() throws {
        let server = try RedisServerFixture.start(arguments: ["--requirepass", Self.password])
        defer { server.stop() }

        let connection = try server.connect()
        let reply = try connection.command("PING")

        #expect(reply.errorMessage?.hasPrefix("NOAUTH") == true)
        #expect(!connection.isBroken)
    }

    @Test func aclUserAuthenticates() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let admin = try server.connect()
        let created = try admin.command("ACL", "SETUSER", "flusher", "on", ">flusher/pw", "~*", "+@all")
        #expect(created == .simpleString("OK"))

        // The password contains a `/`, sent percent-encoded, and database 2 needs SELECT.
        let url = "redis://flusher:flusher%2Fpw@127.0.0.1:\(server.port)/2"
        let connection = try RedisConnection.connect(RedisConfiguration(url: url))

        #expect(try connection.command("ACL", "WHOAMI").string == "flusher")
        let info = try #require(try connection.command("CLIENT", "INFO").string)
        #expect(info.contains(" db=2 "))
    }

    @Test func aclUserWrongPasswordIsRejected() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let admin = try server.connect()
        _ = try admin.command("ACL", "SETUSER", "flusher", "on", ">flusher-pw", "~*", "+@all")

        let error = redisError { () throws(RedisError) in
            _ = try RedisConnection.connect(server.configuration(username: "flusher", password: "guess-123"))
        }

        #expect(error?.code == .authenticationFailed)
        #expect(error?.description.contains("flusher") == true)
        #expect(error?.description.contains("guess-123") == false)
    }
}
