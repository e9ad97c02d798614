import PageviewsAggregator
import ServiceKit

// Entry point: read the configuration, tick until SIGTERM or SIGINT, exit.
ServiceMain.main(
    parser: AggregatorConfiguration.parser, healthPortVariable: "METRICS_PORT", defaultHealthPort: 9090,
    configure: AggregatorConfiguration.init(values:), run: AggregatorRunner.run)
