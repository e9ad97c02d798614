import Testing
@testable import ServiceKit

@Suite struct CommandLineParserTests {
    let parser = CommandLineParser(
        program: "demo", summary: "a test program", version: "1.0",
        options: [
            OptionSpec(variable: "PORT", flag: "--port", summary: "HTTP port", defaultDescription: "8080"),
            OptionSpec(variable: "ACCESS_LOG", flag: "--access-log", summary: "log requests", defaultDescription: "0"),
        ]
    )

    func values(_ arguments: [String], _ environment: [String: String] = [:]) throws -> OptionValues {
        guard case .run(let values) = try parser.parse(arguments: arguments, environment: environment) else {
            Issue.record("expected run")
            throw ConfigurationError("not run")
        }
        return values
    }

    @Test func flagOverridesEnvironment() throws {
        let parsed = try values(["--port", "9000"], ["PORT": "8000"])
        #expect(try parsed.integer("PORT", default: 1, range: 1...65535) == 9000)
    }

    @Test func equalsFormIsAccepted() throws {
        let parsed = try values(["--port=9001"])
        #expect(try parsed.integer("PORT", default: 1, range: 1...65535) == 9001)
    }

    @Test func environmentUsedWithoutFlag() throws {
        let parsed = try values([], ["PORT": "8000"])
        #expect(try parsed.integer("PORT", default: 1, range: 1...65535) == 8000)
    }

    @Test func defaultWhenUnsetOrEmpty() throws {
        let parsed = try values([], ["PORT": ""])
        #expect(try parsed.integer("PORT", default: 8080, range: 1...65535) == 8080)
    }

    @Test func outOfRangeIntegerNamesSetting() throws {
        let parsed = try values(["--port", "70000"])
        let error = #expect(throws: ConfigurationError.self) {
            try parsed.integer("PORT", default: 1, range: 1...65535)
        }
        #expect(error?.message.contains("PORT (--port)") == true)
        #expect(error?.message.contains("70000") == true)
    }

    @Test func invalidBooleanIsRejected() throws {
        let parsed = try values(["--access-log", "maybe"])
        #expect(throws: ConfigurationError.self) { try parsed.boolean("ACCESS_LOG", default: false) }
        #expect(try self.values(["--access-log", "yes"]).boolean("ACCESS_LOG", default: false))
    }

    @Test func unknownFlagIsRejected() {
        #expect(throws: ConfigurationError.self) { try parser.parse(arguments: ["--nope"], environment: [:]) }
    }

    @Test func flagWithoutValueIsRejected() {
        #expect(throws: ConfigurationError.self) { try parser.parse(arguments: ["--port"], environment: [:]) }
    }

    @Test func helpListsEveryVariableAndDefault() throws {
        guard case .showHelp(let text) = try parser.parse(arguments: ["--help"], environment: [:]) else {
            Issue.record("expected help")
            return
        }
        #expect(text.contains("--port, PORT"))
        #expect(text.contains("(default: 8080)"))
        #expect(text.contains("ACCESS_LOG"))
    }

    @Test func healthCheckFlagIsRecognised() throws {
        guard case .healthCheck = try parser.parse(arguments: ["--health-check"], environment: [:]) else {
            Issue.record("expected health check")
            return
        }
    }
}
