import Foundation
import Testing
import TestSupport
@testable import PageviewsAggregator

/// docker-compose.yml may set only variables that pageviews-aggregator reads.
@Suite struct ComposeAggregatorEnvironmentTests {
    @Test func composeAggregatorVariablesAreAggregatorOptions() throws {
        let text = try String(contentsOf: ComposeEnvironment.repositoryFile, encoding: .utf8)
        let names = try #require(ComposeEnvironment.variableNames(service: "aggregator", in: text))
        let known = Set(AggregatorConfiguration.options.map(\.variable))

        #expect(names.contains("REDIS_URL"))
        #expect(names.filter { !known.contains($0) } == [], "docker-compose.yml sets variables for aggregator that --help does not list")
    }
}
