import Foundation
import Testing
import TestSupport
@testable import PageviewsServer

/// docker-compose.yml may set only variables that pageviews-server reads; a
/// misspelt or removed one would otherwise be ignored without a word.
@Suite struct ComposeEnvironmentTests {
    let serverVariables = Set(ServerConfiguration.options.map(\.variable))

    /// Returns the names in `names` that pageviews-server does not read, in order.
    func unknown(_ names: [String]) -> [String] {
        names.filter { !serverVariables.contains($0) }
    }

    @Test func composeServerVariablesAreServerOptions() throws {
        let text = try String(contentsOf: ComposeEnvironment.repositoryFile, encoding: .utf8)
        let names = try #require(ComposeEnvironment.variableNames(service: "server", in: text))

        #expect(names.contains("REDIS_URL"))
        #expect(unknown(names) == [], "docker-compose.yml sets variables for server that --help does not list")
    }

    @Test func unknownVariableIsReported() throws {
        let text = """
            services:
              server:
                image: pageviews-server
                environment:
                  PORT: "8080"
                  # A comment between entries.
                  REDIS_URLS: redis://redis:6379
                healthcheck:
                  test: ["CMD", "/pageviews-server", "--health-check"]
            """
        let names = try #require(ComposeEnvironment.variableNames(service: "server", in: text))

        #expect(names == ["PORT", "REDIS_URLS"])
        #expect(unknown(names) == ["REDIS_URLS"])
    }

    @Test func listFormNamesWithoutValues() throws {
        let text = """
            services:
              server:
                environment:
                  - PORT=8080
                  - "LOG_LEVEL=debug"
                  - INSTANCE_NAME
            """

        #expect(ComposeEnvironment.variableNames(service: "server", in: text) == ["PORT", "LOG_LEVEL", "INSTANCE_NAME"])
    }

    @Test func nestedServiceKeysAreNotNames() throws {
        // "server:" under depends_on of another service, and an environment
        // block of another service, must not be taken for the server's.
        let text = """
            services:
              haproxy:
                depends_on:
                  server:
                    condition: service_healthy
                environment:
                  HAPROXY_ONLY: "1"
              server:
                environment:
                  PORT: "8080"
            """

        #expect(ComposeEnvironment.variableNames(service: "server", in: text) == ["PORT"])
        #expect(ComposeEnvironment.variableNames(service: "haproxy", in: text) == ["HAPROXY_ONLY"])
    }

    @Test func missingServiceOrBlockIsNil() {
        let text = """
            services:
              server:
                image: pageviews-server
            """

        #expect(ComposeEnvironment.variableNames(service: "server", in: text) == nil)
        #expect(ComposeEnvironment.variableNames(service: "worker", in: text) == nil)
    }
}
