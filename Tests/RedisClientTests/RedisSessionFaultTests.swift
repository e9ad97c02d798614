import Observability
import RedisClient
import TestSupport
import Testing

/// The session behind a `FaultProxy` that cuts connections at random points:
/// a broken connection is dropped, never reused, and replies never fall out of step.
@Suite struct RedisSessionFaultTests {
    func makeSession(port: Int, reconnects: Counter? = nil) -> RedisSession {
        let configuration = RedisConfiguration(host: "127.0.0.1", port: port, replyTimeout: .seconds(2))
        return RedisSession(
            configuration: configuration, logger: Logger(label: "redis-fault-test", level: .critical),
            reconnectCounter: reconnects)
    }

    @Test func cutConnectionsAreNeverReused() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let proxy = try FaultProxy(upstreamPort: redis.port, cutProbability: 0.3, seed: 42)
        defer { proxy.stop() }
        let reconnects = MetricsRegistry().counter("reconnects", help: "test")
        let session = makeSession(port: proxy.port, reconnects: reconnects)

        var failures = 0
        var mismatches: [String] = []
        for round in 0..<400 {
            let tokens = (0..<4).map { "round-\(round)-reply-\($0)" }
            do {
                let replies = try session.pipeline(tokens.map { ["ECHO", RedisArgument($0)] })
                if replies != tokens.map({ RedisValue.bulkString(Array($0.utf8)) }) {
                    mismatches.append("round \(round): \(replies)")
                }
            } catch {
                failures += 1
                #expect(!session.isConnected, "round \(round) failed with \(error) but the connection stayed open")
            }
        }
        proxy.setCutProbability(0)
        _ = try session.pipeline([["PING"]])

        let cuts = proxy.statistics.totalCuts
        print("fault-proxy session: rounds=400 cuts=\(cuts) failures=\(failures) reconnects=\(session.reconnects)")
        #expect(mismatches.isEmpty, "replies out of step: \(mismatches.prefix(3))")
        #expect(cuts >= 50, "only \(cuts) cuts")
        #expect(failures == cuts, "every cut fails exactly one pipeline")
        #expect(session.reconnects == failures, "every failure is followed by exactly one new connection")
        #expect(reconnects.value == Int64(session.reconnects))
    }

    @Test func cutBeforeReplyStillRunsCommand() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let proxy = try FaultProxy(upstreamPort: redis.port, cutProbability: 1, cutKinds: [.beforeReply])
        defer { proxy.stop() }
        let session = makeSession(port: proxy.port)
        let key = uniqueKey("cut-before-reply")

        let failure = redisError { () throws(RedisError) in _ = try session.pipeline([["INCR", key]]) }

        #expect(failure?.isRetryable == true)
        #expect(proxy.statistics.cuts[.beforeReply] == 1)
        #expect(try redis.connect().command("GET", key) == .bulkString(Array("1".utf8)))
    }

    @Test func cutMidReplyBreaksConnection() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let proxy = try FaultProxy(upstreamPort: redis.port, cutProbability: 1, cutKinds: [.midReply])
        defer { proxy.stop() }
        let connection = try RedisConnection.connect(
            RedisConfiguration(host: "127.0.0.1", port: proxy.port, replyTimeout: .seconds(2)))
        let value = RedisArgument(String(repeating: "x", count: 1000))

        let failure = redisError { () throws(RedisError) in _ = try connection.pipeline([["ECHO", value], ["PING"]]) }
        let reuse = redisError { () throws(RedisError) in _ = try connection.pipeline([["PING"]]) }

        #expect(failure != nil)
        #expect(connection.isBroken)
        #expect(reuse?.code == .connectionBroken)
        #expect(proxy.statistics.cuts[.midReply] == 1)
    }

    @Test func blackholeTimesOutThenRecovers() throws {
        let redis = try RedisServerFixture.start()
        defer { redis.stop() }
        let proxy = try FaultProxy(upstreamPort: redis.port)
        defer { proxy.stop() }
        let configuration = RedisConfiguration(host: "127.0.0.1", port: proxy.port, replyTimeout: .milliseconds(300))
        let session = RedisSession(configuration: configuration, logger: Logger(label: "test", level: .critical))
        _ = try session.pipeline([["PING"]])

        proxy.setBlackholed(true)
        let stalled = redisError { () throws(RedisError) in _ = try session.pipeline([["PING"]]) }
        proxy.setBlackholed(false)
        let replies = try session.pipeline([["PING"]])

        #expect(stalled?.code == .timedOut)
        #expect(replies == [.simpleString("PONG")])
        #expect(session.reconnects == 1)
    }
}
