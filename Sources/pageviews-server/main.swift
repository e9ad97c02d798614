import PageviewsServer
import ServiceKit

// Entry point: read the configuration, run until SIGTERM or SIGINT, drain, exit.
ServiceMain.main(
    parser: ServerConfiguration.parser, healthPortVariable: "PORT", defaultHealthPort: 8080,
    configure: ServerConfiguration.init(values:), run: ServerRunner.run)
