import RedisClient
import TestSupport
import Testing

@Suite struct RedisConnectionTests {
    @Test func pipelineRepliesInOrder() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let connection = try server.connect()
        let key = uniqueKey("counter")

        let commands: [[RedisArgument]] = (1...200).map { _ in ["INCRBY", key, 3] }
        let replies = try connection.pipeline(commands)

        #expect(replies.count == 200)
        #expect(replies == (1...200).map { RedisValue.integer(Int64($0) * 3) })
    }

    @Test func pipelineOfMixedReplyTypes() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let connection = try server.connect()
        let key = uniqueKey("list")

        let replies = try connection.pipeline([
            ["PING"],
            ["RPUSH", key, "a", "b"],
            ["LRANGE", key, 0, -1],
            ["GET", uniqueKey("missing")],
        ])

        #expect(replies[0] == .simpleString("PONG"))
        #expect(replies[1] == .integer(2))
        #expect(replies[2] == .array([.bulkString(Array("a".utf8)), .bulkString(Array("b".utf8))]))
        #expect(replies[3] == .null)
    }

    @Test func errorReplyStaysInItsSlot() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let connection = try server.connect()
        let key = uniqueKey("text")

        let replies = try connection.pipeline([
            ["SET", key, "not a number"],
            ["INCR", key],
            ["GET", key],
        ])

        #expect(replies[0] == .simpleString("OK"))
        #expect(replies[1].errorMessage?.hasPrefix("ERR value is not an integer") == true)
        #expect(replies[2].string == "not a number")
        #expect(!connection.isBroken)
        #expect(try connection.command("PING") == .simpleString("PONG"))
    }

    @Test func argumentsAreBinarySafe() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let connection = try server.connect()
        let key = RedisArgument(bytes: uniqueKey("bin").bytes + [0x00, 0x0D, 0x0A])
        let value: [UInt8] = [0x00, 0x0D, 0x0A, 0x2A, 0x33, 0x0D, 0x0A, 0xFF, 0x00]

        _ = try connection.command("SET", key, RedisArgument(bytes: value))
        let reply = try connection.command("GET", key)

        #expect(reply == .bulkString(value))
        #expect(try connection.command("STRLEN", key) == .integer(Int64(value.count)))
    }

    @Test func emptyArgumentAndEmptyPipeline() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let connection = try server.connect()
        let key = uniqueKey("empty")

        #expect(try connection.pipeline([]) == [])
        _ = try connection.command("SET", key, RedisArgument(bytes: []))
        #expect(try connection.command("GET", key) == .bulkString([]))
    }

    @Test func replyTimeoutBreaksConnection() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let connection = try RedisConnection.connect(server.configuration(replyTimeout: .milliseconds(200)))

        server.pause()
        defer { server.resume() }
        let timeout = redisError { () throws(RedisError) in _ = try connection.command("PING") }

        #expect(timeout?.code == .timedOut)
        #expect(timeout?.isRetryable == true)
        #expect(connection.isBroken)
        server.resume()
        let reuse = redisError { () throws(RedisError) in _ = try connection.command("PING") }
        #expect(reuse?.code == .connectionBroken)
    }

    @Test func eofMidPipelineBreaksConnection() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let connection = try server.connect()
        let key = uniqueKey("before-quit")

        // QUIT makes the server reply +OK and close, so the third reply never comes.
        let error = redisError { () throws(RedisError) in
            _ = try connection.pipeline([["SET", key, "1"], ["QUIT"], ["PING"]])
        }

        #expect(error?.code == .connectionClosed)
        #expect(connection.isBroken)
        let other = try server.connect()
        #expect(try other.command("GET", key).string == "1")
    }

    @Test func killedServerBreaksConnection() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let connection = try server.connect()
        #expect(try connection.command("PING") == .simpleString("PONG"))

        server.kill()
        let error = redisError { () throws(RedisError) in _ = try connection.pipeline([["PING"], ["PING"]]) }

        let code = try #require(error?.code)
        #expect([.connectionClosed, .ioFailure].contains(code))
        #expect(connection.isBroken)
        let reuse = redisError { () throws(RedisError) in _ = try connection.command("PING") }
        #expect(reuse?.code == .connectionBroken)
    }

    @Test func refusedConnectionFails() throws {
        let port = try FreePort.find()

        let error = redisError { () throws(RedisError) in
            _ = try RedisConnection.connect(RedisConfiguration(host: "127.0.0.1", port: port))
        }

        #expect(error?.code == .connectionFailed)
        #expect(error?.description.contains("127.0.0.1:\(port)") == true)
        #expect(error?.underlyingErrno != nil)
    }

    @Test func closeIsIdempotent() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let connection = try server.connect()

        connection.close()
        connection.close()

        #expect(connection.isBroken)
        let error = redisError { () throws(RedisError) in _ = try connection.command("PING") }
        #expect(error?.code == .connectionBroken)
    }
}
