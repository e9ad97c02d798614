import HTTPServer
import Observability
import TestSupport

/// A server on an ephemeral loopback port with a few test routes.
///
/// Routes: `GET /hello` returns `hello`, `POST /echo` returns the request body,
/// `GET /items/:id` returns `item <id>`, `GET /large` returns `largeBodyBytes` bytes. Every response carries `X-Instance: test-1`.
final class LiveServer {
    let server: HTTPServer
    let metrics = MetricsRegistry()
    let port: Int
    static let largeBodyBytes = 4096

    init(_ configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws {
        var configuration = HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, eventLoops: 2, defaultHeaders: [("X-Instance", "test-1")])
        configure(&configuration)
        let router = Self.makeRouter()
        server = HTTPServer(
            configuration: configuration, logger: Logger(label: "test", level: .warning), metrics: metrics,
            handler: { router.handle($0) })
        port = try server.start()
    }

    deinit {
        server.shutdown(gracePeriod: .zero)
    }

    func makeClient(timeout: Duration = .seconds(5)) -> HTTPTestClient {
        HTTPTestClient(host: "127.0.0.1", port: port, timeout: timeout)
    }

    /// Returns the value of counter `name` with `labels` in this server's registry.
    func counterValue(_ name: String, labels: MetricsRegistry.Labels = []) -> Int64 {
        metrics.counter(name, help: "", labels: labels).value
    }

    private static func makeRouter() -> Router {
        var router = Router()
        router.add(.GET, "/hello") { _, _ in .text(.ok, "hello") }
        router.add(.POST, "/echo") { request, _ in HTTPResponse(status: .ok, body: request.body) }
        router.add(.GET, "/large") { _, _ in
            HTTPResponse(status: .ok, body: Array(repeating: UInt8(ascii: "L"), count: largeBodyBytes))
        }
        router.add(.GET, "/items/:id") { _, parameters in .text(.ok, "item \(parameters["id"] ?? "")") }
        return router
    }
}
