import Testing
@testable import Counting

@Suite struct DeltaBufferTests {
    @Test func viewsOfOneSecondShareASlot() throws {
        let home = try CounterName("home")
        var buffer = DeltaBuffer()
        for _ in 0..<1_000 {
            buffer.record(home, second: 10)
        }
        buffer.record(home, second: 11)
        let deltas = buffer.drain()
        #expect(deltas == [CounterDelta(counter: home, buckets: [Bucket(second: 10, count: 1_000), Bucket(second: 11, count: 1)])])
        #expect(buffer.isEmpty)
    }

    @Test func drainSortsCountersAndSeconds() throws {
        let a = try CounterName("a")
        let b = try CounterName("b")
        var buffer = DeltaBuffer()
        buffer.record(b, second: 2)
        buffer.record(a, second: 3)
        buffer.record(a, second: 1)
        let deltas = buffer.drain()
        #expect(deltas.map(\.counter) == [a, b])
        #expect(deltas[0].buckets.map(\.second) == [1, 3])
    }

    @Test func dropSecondsReturnsDroppedViews() throws {
        let home = try CounterName("home")
        var buffer = DeltaBuffer()
        buffer.record(home, second: 1, count: 4)
        buffer.record(home, second: 5, count: 2)
        #expect(buffer.dropSeconds(before: 5) == 4)
        #expect(buffer.viewCount == 2)
    }

    @Test func mergeAddsSlots() throws {
        let home = try CounterName("home")
        var first = DeltaBuffer()
        var second = DeltaBuffer()
        first.record(home, second: 1, count: 2)
        second.record(home, second: 1, count: 3)
        first.merge(second)
        #expect(first.viewCount == 5)
    }
}
