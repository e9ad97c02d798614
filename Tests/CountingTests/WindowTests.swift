import Testing
@testable import Counting

@Suite struct WindowTests {
    @Test func windowHoldsSixtySecondsEndingNow() {
        let seconds = Window.seconds(endingAt: 1_000)
        #expect(seconds.count == 60)
        #expect(seconds.lowerBound == 941)
        #expect(seconds.upperBound == 1_000)
    }

    @Test func containsChecksBothEdges() {
        #expect(Window.contains(941, endingAt: 1_000))
        #expect(Window.contains(1_000, endingAt: 1_000))
        #expect(!Window.contains(940, endingAt: 1_000))
        #expect(!Window.contains(1_001, endingAt: 1_000))
    }

    @Test func secondOfMillisRoundsDown() {
        #expect(CounterTotal.second(ofMillis: 1_999) == 1)
        #expect(CounterTotal.second(ofMillis: 2_000) == 2)
        #expect(CounterTotal.second(ofMillis: -1) == -1)
    }

    @Test func keysShareTheCounterHashTag() throws {
        let counter = try CounterName("home")
        let replica = ReplicaID(instance: "server-1", incarnation: "ab")
        #expect(KeySchema.bucket(counter, second: 42) == "pv:{home}:s:42")
        #expect(KeySchema.sequence(counter, replica: replica) == "pv:{home}:seq:server-1-ab")
        #expect(KeySchema.total(counter) == "pv:{home}:total")
    }

    @Test func replicaIncarnationsDiffer() {
        let first = ReplicaID.make(instance: "server-1")
        let second = ReplicaID.make(instance: "server-1")
        #expect(first != second)
        #expect(first.incarnation.count == 16)
    }
}
