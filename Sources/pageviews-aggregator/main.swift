import FoundationEssentials
import Glibc
import Observability
import PageviewsAggregator
import ServiceKit

// Entry point: read the configuration, tick until SIGTERM or SIGINT, exit.
let action: CommandLineAction
do {
    action = try AggregatorConfiguration.parser.parse(
        arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
} catch {
    StandardErrorSink().write("pageviews-aggregator: \(error.message)\n")
    exit(2)
}

switch action {
case .showHelp(let text), .showVersion(let text):
    print(text)
    exit(0)
case .healthCheck(let values):
    let port = (try? values.integer("METRICS_PORT", default: 9090, range: 1...65535)) ?? 9090
    exit(HealthProbe.isHealthy(port: port) ? 0 : 1)
case .run(let values):
    do {
        let configuration = try AggregatorConfiguration(values: values)
        exit(AggregatorRunner.run(configuration))
    } catch {
        StandardErrorSink().write("pageviews-aggregator: \(error.message)\n")
        exit(2)
    }
}
