import Foundation

/// Runs `promtool check metrics`, Prometheus's own parser and linter for the
/// text exposition format, on metrics text.
///
/// A missing promtool is a failure, not a skip: `scripts/test` installs it
/// (Debian package `prometheus`).
public enum Promtool {
    /// What promtool printed and its exit status; status 0 with no output
    /// means the text parsed and passed every lint rule.
    public struct Result: Sendable {
        public let status: Int32
        public let output: String
    }

    /// Pipes `metrics` into `promtool check metrics` and waits for it.
    public static func checkMetrics(_ metrics: String) throws -> Result {
        let executable = try findExecutable()
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString).txt")
        try Data(metrics.utf8).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }

        let process = Process()
        process.executableURL = executable
        process.arguments = ["check", "metrics"]
        process.standardInput = try FileHandle(forReadingFrom: input)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: printed, as: UTF8.self))
    }

    private static func findExecutable() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("promtool")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        throw FixtureError("promtool not found on PATH: install Debian's prometheus package, as scripts/test does")
    }
}
