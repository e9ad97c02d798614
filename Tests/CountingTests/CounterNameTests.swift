import Testing
@testable import Counting

@Suite struct CounterNameTests {
    @Test(arguments: ["home", "a", "blog.post-1_x", String(repeating: "z", count: 64)])
    func acceptsValidNames(_ name: String) throws {
        let counter = try CounterName(name)
        #expect(counter.rawValue == name)
    }

    @Test(arguments: ["", "Home", "a b", "a/b", "{x}", "ä", "pv:x", String(repeating: "z", count: 65)])
    func rejectsInvalidNames(_ name: String) {
        #expect(throws: CounterNameError.self) { try CounterName(name) }
    }

    @Test func errorNamesTheRule() {
        let error = CounterNameError(name: "A")
        #expect(error.description.contains("1 to 64 characters"))
    }
}
