import Observability
import RedisClient
import TestSupport
import Testing

@Suite struct RedisSessionTests {
    static let incrementScript = RedisScript(source: "return redis.call('INCRBY', KEYS[1], ARGV[1])")

    func makeSession(_ server: RedisServerFixture, sink: MemorySink = MemorySink()) -> RedisSession {
        RedisSession(
            configuration: server.configuration(),
            logger: Logger(label: "redis-test", level: .debug, sink: sink),
            scripts: [Self.incrementScript])
    }

    @Test func connectsLazily() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let session = makeSession(server)

        #expect(!session.isConnected)
        #expect(session.connectionCount == 0)
        let replies = try session.pipeline([["PING"]])

        #expect(replies == [.simpleString("PONG")])
        #expect(session.isConnected)
        #expect(session.connectionCount == 1)
        #expect(session.reconnects == 0)
    }

    @Test func reconnectsAfterServerRestart() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let sink = MemorySink()
        let session = makeSession(server, sink: sink)
        let key = uniqueKey("restart")
        _ = try session.pipeline([["SET", key, "1"]])

        try server.restart()
        let failure = redisError { () throws(RedisError) in _ = try session.pipeline([["GET", key]]) }
        let replies = try session.pipeline([["GET", key]])

        #expect(failure?.isRetryable == true)
        #expect(replies == [.null])
        #expect(session.reconnects == 1)
        #expect(sink.lines.contains { $0.contains("msg=\"redis connection dropped\"") })
    }

    @Test func scriptsLoadOnConnect() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let session = makeSession(server)
        let key = uniqueKey("script")

        #expect(session.sha(of: Self.incrementScript) == nil)
        try session.connect()
        let sha = try #require(session.sha(of: Self.incrementScript))
        let arguments = session.evalShaArguments(Self.incrementScript, keys: [key], arguments: [5])
        let replies = try session.pipeline([arguments])

        #expect(sha.count == 40)
        #expect(arguments.first == "EVALSHA")
        #expect(replies == [.integer(5)])
    }

    @Test func evalBeforeFirstConnection() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let session = makeSession(server)
        let key = uniqueKey("eval")

        let arguments = session.evalShaArguments(Self.incrementScript, keys: [key], arguments: [2])
        let replies = try session.pipeline([arguments])

        #expect(arguments.first == "EVAL")
        #expect(replies == [.integer(2)])
    }

    @Test func recoversAfterScriptFlush() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let session = makeSession(server)
        let key = uniqueKey("flush")
        try session.connect()
        let arguments = session.evalShaArguments(Self.incrementScript, keys: [key], arguments: [3])
        #expect(try session.pipeline([arguments]) == [.integer(3)])

        let admin = try server.connect()
        #expect(try admin.command("SCRIPT", "FLUSH") == .simpleString("OK"))
        let failure = redisError { () throws(RedisError) in _ = try session.pipeline([arguments]) }
        let retried = try session.pipeline([arguments])

        #expect(failure?.code == .scriptsReloaded)
        #expect(failure?.isRetryable == true)
        #expect(retried == [.integer(6)])
        #expect(session.reconnects == 0)
    }

    @Test func scriptsReloadAfterRestart() throws {
        let server = try RedisServerFixture.start()
        defer { server.stop() }
        let session = makeSession(server)
        let key = uniqueKey("restart-script")
        try session.connect()
        let arguments = session.evalShaArguments(Self.incrementScript, keys: [key], arguments: [4])

        try server.restart()
        _ = redisError { () throws(RedisError) in _ = try session.pipeline([arguments]) }
        let replies = try session.pipeline([arguments])

        #expect(replies == [.integer(4)])
        #expect(session.reconnects == 1)
    }

    @Test func failedConnectIsRetryable() throws {
        let server = try RedisServerFixture.start()
        let session = makeSession(server)
        server.stop()

        let error = redisError { () throws(RedisError) in _ = try session.pipeline([["PING"]]) }

        #expect(error?.code == .connectionFailed)
        #expect(error?.isRetryable == true)
        #expect(!session.isConnected)
    }
}
