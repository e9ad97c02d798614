import Testing

@testable import HTTPServer

@Suite struct RouterTests {
    private func makeRouter() -> Router {
        var router = Router()
        router.add(.GET, "/api/v1/counters/:name") { _, parameters in
            .text(.ok, "get \(parameters["name"] ?? "-")")
        }
        router.add(.POST, "/api/v1/counters/:name/views") { _, parameters in
            .text(.ok, "view \(parameters["name"] ?? "-")")
        }
        router.add(.GET, "/healthz") { _, _ in .text(.ok, "ok") }
        return router
    }

    private func request(_ method: HTTPMethod, _ target: String) -> HTTPRequest {
        HTTPRequest(method: method, target: target, headers: ["Host": "h"])
    }

    @Test func unknownPathIs404() {
        let response = makeRouter().handle(request(.GET, "/nope"))

        #expect(response.status == .notFound)
        #expect(response.routeLabel == "unmatched")
    }

    @Test func wrongMethodIs405WithAllow() {
        let response = makeRouter().handle(request(.DELETE, "/api/v1/counters/home"))

        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "GET, HEAD")
        #expect(response.routeLabel == "/api/v1/counters/:name")
    }

    @Test func parametersExtracted() {
        let response = makeRouter().handle(request(.POST, "/api/v1/counters/home.page/views?x=1"))

        #expect(response.status == .ok)
        #expect(String(decoding: response.body, as: UTF8.self) == "view home.page\n")
        #expect(response.routeLabel == "/api/v1/counters/:name/views")
    }

    @Test func emptyParameterDoesNotMatch() {
        #expect(makeRouter().handle(request(.GET, "/api/v1/counters/")).status == .notFound)
    }

    @Test func headServedByGetRoute() {
        let response = makeRouter().handle(request(.HEAD, "/healthz"))

        #expect(response.status == .ok)
        #expect(response.routeLabel == "/healthz")
        // The body stays; the server sends only its length for HEAD.
        #expect(response.body == Array("ok\n".utf8))
    }

    @Test func matchReturnsPatternAndParameters() throws {
        let match = try #require(makeRouter().match(request(.GET, "/api/v1/counters/abc")))

        #expect(match.pattern == "/api/v1/counters/:name")
        #expect(match.parameters["name"] == "abc")
        #expect(makeRouter().match(request(.GET, "/other")) == nil)
    }
}
