import Foundation
import Testing
@testable import ServiceKit

/// The password file of REDIS_PASSWORD_FILE: only its first line counts, without its line ending.
@Suite struct RedisSettingsTests {
    let parser = CommandLineParser(program: "test", summary: "a test program", version: "1.0", options: RedisSettings.options)

    /// Writes `contents` to a new temporary file, reads the Redis settings with it, and removes it.
    func password(fromFileContaining contents: String) throws -> String? {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("redis-password-\(UUID().uuidString)").path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let environment = ["REDIS_URL": "redis://127.0.0.1:6400", "REDIS_PASSWORD_FILE": path]
        guard case .run(let values) = try parser.parse(arguments: [], environment: environment) else {
            Issue.record("expected the parser to return run")
            return nil
        }
        return try RedisSettings.configuration(from: values)?.password
    }

    @Test(arguments: ["s3cret", "s3cret\n", "s3cret\r\n", "s3cret\r\nsecond line\r\n", "s3cret\nsecond line"])
    func firstLineIsThePassword(contents: String) throws {
        #expect(try password(fromFileContaining: contents) == "s3cret")
    }

    @Test(arguments: ["", "\n", "\r\n"])
    func emptyFirstLineIsRejected(contents: String) {
        let error = #expect(throws: ConfigurationError.self) { try password(fromFileContaining: contents) }
        #expect(error?.message.contains("is empty") == true)
    }

    @Test func missingFileIsRejected() throws {
        let environment = ["REDIS_URL": "redis://127.0.0.1:6400", "REDIS_PASSWORD_FILE": "/nonexistent/redis-password"]
        guard case .run(let values) = try parser.parse(arguments: [], environment: environment) else {
            Issue.record("expected the parser to return run")
            return
        }
        let error = #expect(throws: ConfigurationError.self) { try RedisSettings.configuration(from: values) }
        #expect(error?.message.contains("/nonexistent/redis-password") == true)
    }

    @Test func userWithoutPasswordTakesPasswordFromFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("redis-password-\(UUID().uuidString)").path
        try Data("s3cret\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let environment = ["REDIS_URL": "redis://pageviews@127.0.0.1:6400", "REDIS_PASSWORD_FILE": path]
        guard case .run(let values) = try parser.parse(arguments: [], environment: environment) else {
            Issue.record("expected the parser to return run")
            return
        }
        let configuration = try #require(try RedisSettings.configuration(from: values))
        #expect(configuration.username == "pageviews")
        #expect(configuration.password == "s3cret")
    }

    @Test func userWithoutPasswordNeedsPasswordFile() throws {
        let environment = ["REDIS_URL": "redis://pageviews@127.0.0.1:6400"]
        guard case .run(let values) = try parser.parse(arguments: [], environment: environment) else {
            Issue.record("expected the parser to return run")
            return
        }
        let error = #expect(throws: ConfigurationError.self) { try RedisSettings.configuration(from: values) }
        #expect(error?.message == "invalid REDIS_URL (--redis-url): credentials must be user:password@ or :password@")
    }
}
