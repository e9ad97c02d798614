import Foundation
import Testing
import TestSupport
@testable import PageviewsServer

@Suite struct OpenAPIDocumentTests {
    static let documentURL = ClusterFixture.packageRoot.appendingPathComponent("docs/openapi.yaml")

    @Test func embeddedDocumentMatchesFile() throws {
        let file = try String(contentsOf: Self.documentURL, encoding: .utf8)
        #expect(OpenAPIDocument.yaml == file, "docs/openapi.yaml changed: run scripts/embed-openapi")
    }

    @Test func documentIsServedAsYAML() throws {
        let application = try TestReplica.start()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)

        let response = try client.send(method: "GET", path: "/openapi.yaml")
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/yaml")
        #expect(response.bodyText == OpenAPIDocument.yaml)
    }

    /// The document lists exactly the replica's paths, and the replica serves each of them.
    @Test func documentListsEveryRoute() throws {
        let paths = OpenAPIDocument.yaml.split(separator: "\n")
            .filter { $0.hasPrefix("  /") && $0.hasSuffix(":") }
            .map { String($0.dropFirst(2).dropLast()) }
        let routed = [
            "/", "/api/v1/counters/{name}/views", "/api/v1/counters/{name}", "/api/v1/counters/{name}/badge.svg",
            "/healthz", "/readyz", "/metrics", "/openapi.yaml",
        ]
        #expect(Set(paths) == Set(routed))

        let application = try TestReplica.start()
        defer { application.drainAndStop() }
        let client = HTTPTestClient(host: "127.0.0.1", port: application.port)
        for path in routed {
            // OPTIONS is 204 or 405 on a known path and 404 on an unknown one.
            let concrete = path.replacingOccurrences(of: "{name}", with: "home")
            #expect(try client.send(method: "OPTIONS", path: concrete).status != 404, "\(concrete) is not served")
        }
    }
}
