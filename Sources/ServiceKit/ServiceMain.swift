import FoundationEssentials
import Glibc
import Observability

/// A service process that `ServiceMain` starts, and stops after SIGTERM or SIGINT.
public protocol ManagedService: AnyObject {
    /// Starts serving; returns the bound port. Throws if the service cannot start.
    func start() throws -> Int
    /// Stops gracefully; returns once the service has finished.
    func stop()
}

/// The shared life of both executables: parse options, handle `--help`,
/// `--version` and `--health-check`, run the service until a signal, exit.
public enum ServiceMain {
    /// Parses the command line and environment, then calls `run` with the
    /// configuration and exits with its status. Invalid settings exit with
    /// status 2 and one line on standard error naming the setting.
    public static func main<Configuration>(
        parser: CommandLineParser, healthPortVariable: String, defaultHealthPort: Int,
        configure: (OptionValues) throws(ConfigurationError) -> Configuration,
        run: (Configuration) -> Int32
    ) -> Never {
        let action: CommandLineAction
        do {
            action = try parser.parse(
                arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
        } catch {
            fail(parser.program, error)
        }

        switch action {
        case .showHelp(let text), .showVersion(let text):
            print(text)
            exit(0)
        case .healthCheck(let values):
            let port = (try? values.integer(healthPortVariable, default: defaultHealthPort, range: 1...65535))
                ?? defaultHealthPort
            guard HealthProbe.isHealthy(port: port) else {
                StandardErrorSink().write(
                    "\(parser.program): health check failed: http://127.0.0.1:\(port)/healthz did not return 200\n")
                exit(1)
            }
            exit(0)
        case .run(let values):
            do {
                exit(run(try configure(values)))
            } catch {
                fail(parser.program, error)
            }
        }
    }

    /// Starts `service`, waits for SIGTERM or SIGINT, then stops it.
    /// Returns 0 after a clean stop, 1 when the service failed to start.
    public static func serve(_ service: ManagedService, logger: Logger, signal: ShutdownSignal) -> Int32 {
        do {
            _ = try service.start()
        } catch {
            logger.critical("service failed to start", ["error": "\(error)"])
            return 1
        }

        let number = signal.wait()
        logger.info("shutdown requested", ["signal": String(number)])
        service.stop()
        return 0
    }

    private static func fail(_ program: String, _ error: ConfigurationError) -> Never {
        StandardErrorSink().write("\(program): \(error.message)\n")
        exit(2)
    }
}
