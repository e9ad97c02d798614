import RedisClient
import Testing

@Suite struct RedisValueTests {
    @Test func integerFromBulkString() {
        #expect(RedisValue.bulkString(Array("42".utf8)).integer == 42)
        #expect(RedisValue.simpleString("-7").integer == -7)
        #expect(RedisValue.integer(9).integer == 9)
        #expect(RedisValue.bulkString(Array("4x".utf8)).integer == nil)
        #expect(RedisValue.null.integer == nil)
    }

    @Test func stringFromReplies() {
        #expect(RedisValue.simpleString("OK").string == "OK")
        #expect(RedisValue.bulkString(Array("hé".utf8)).string == "hé")
        #expect(RedisValue.bulkString([0xFF, 0xFE]).string == nil)
        #expect(RedisValue.integer(1).string == nil)
        #expect(RedisValue.error("ERR x").string == nil)
    }

    @Test func arrayAndErrorAccessors() {
        let value = RedisValue.array([.integer(1), .null])

        #expect(value.array == [.integer(1), .null])
        #expect(RedisValue.integer(1).array == nil)
        #expect(RedisValue.error("NOSCRIPT missing").errorMessage == "NOSCRIPT missing")
        #expect(RedisValue.null.isNull)
    }

    @Test func argumentLiterals() {
        let text: RedisArgument = "INCRBY"
        let number: RedisArgument = -15

        #expect(text.bytes == Array("INCRBY".utf8))
        #expect(number.bytes == Array("-15".utf8))
        #expect(RedisArgument(Int64.max).bytes == Array("9223372036854775807".utf8))
    }

    @Test func evalShaArgumentsLayout() {
        let arguments = RedisScript.evalShaArguments(sha: "abc", keys: ["k1", "k2"], arguments: [7])

        #expect(arguments == ["EVALSHA", "abc", "2", "k1", "k2", "7"])
    }
}
