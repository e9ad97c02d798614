import FoundationEssentials
import Glibc
import Observability
import PageviewsServer
import ServiceKit

// Entry point: read the configuration, run until SIGTERM or SIGINT, drain, exit.
let arguments = Array(CommandLine.arguments.dropFirst())
let action: CommandLineAction
do {
    action = try ServerConfiguration.parser.parse(arguments: arguments, environment: ProcessInfo.processInfo.environment)
} catch {
    StandardErrorSink().write("pageviews-server: \(error.message)\n")
    exit(2)
}

switch action {
case .showHelp(let text), .showVersion(let text):
    print(text)
    exit(0)
case .healthCheck(let values):
    let port = (try? values.integer("PORT", default: 8080, range: 1...65535)) ?? 8080
    exit(HealthProbe.isHealthy(port: port) ? 0 : 1)
case .run(let values):
    let configuration: ServerConfiguration
    do {
        configuration = try ServerConfiguration(values: values)
    } catch {
        StandardErrorSink().write("pageviews-server: \(error.message)\n")
        exit(2)
    }
    exit(ServerRunner.run(configuration))
}
