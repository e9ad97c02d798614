import RedisClient
import Testing

@Suite struct RedisConfigurationTests {
    @Test func hostOnlyUsesDefaults() throws {
        let configuration = try RedisConfiguration(url: "redis://localhost")

        #expect(configuration.host == "localhost")
        #expect(configuration.port == 6379)
        #expect(configuration.database == 0)
        #expect(configuration.username == nil)
        #expect(configuration.password == nil)
        #expect(configuration.connectTimeout == .seconds(1))
        #expect(configuration.replyTimeout == .seconds(1))
    }

    @Test func portAndDatabase() throws {
        let configuration = try RedisConfiguration(url: "redis://127.0.0.1:6380/3")

        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 6380)
        #expect(configuration.database == 3)
    }

    @Test func passwordWithoutUser() throws {
        let configuration = try RedisConfiguration(url: "redis://:p%40ss@cache:7000/0")

        #expect(configuration.username == nil)
        #expect(configuration.password == "p@ss")
        #expect(configuration.host == "cache")
        #expect(configuration.port == 7000)
    }

    @Test func userAndPasswordArePercentDecoded() throws {
        let configuration = try RedisConfiguration(url: "redis://app%2Duser:pa%3Ass%20w@cache")

        #expect(configuration.username == "app-user")
        #expect(configuration.password == "pa:ss w")
    }

    @Test func unencodedSlashInPassword() throws {
        let configuration = try RedisConfiguration(url: "redis://user:p/w#x@cache:2")

        #expect(configuration.password == "p/w#x")
        #expect(configuration.host == "cache")
        #expect(configuration.port == 2)
    }

    @Test func bracketedIPv6Host() throws {
        let configuration = try RedisConfiguration(url: "redis://[::1]:7000/2")

        #expect(configuration.host == "::1")
        #expect(configuration.port == 7000)
        #expect(configuration.database == 2)
    }

    @Test func bracketedIPv6HostWithoutPort() throws {
        let configuration = try RedisConfiguration(url: "redis://[fe80::1]")

        #expect(configuration.host == "fe80::1")
        #expect(configuration.port == 6379)
    }

    @Test func schemeIsCaseInsensitive() throws {
        let configuration = try RedisConfiguration(url: "REDIS://cache:1/")

        #expect(configuration.host == "cache")
        #expect(configuration.database == 0)
    }

    static let invalidURLs: [(url: String, expectedText: String)] = [
        ("http://cache", "unsupported scheme 'http'"),
        ("rediss://cache", "TLS is not supported"),
        ("cache:6379", "missing scheme"),
        ("redis://", "host is missing"),
        ("redis://:6379", "host is missing"),
        ("redis://cache:0", "port 0 is not"),
        ("redis://cache:65536", "port 65536 is not"),
        ("redis://cache:http", "port is not a number"),
        ("redis://cache:", "port is not a number"),
        ("redis://cache/x", "database"),
        ("redis://cache/-1", "database"),
        ("redis://cache/1/2", "database"),
        ("redis://cache/99999999999", "database 99999999999 is out of range"),
        ("redis://[::1:6379", "closing bracket"),
        ("redis://[::1]6379", "after the IPv6 host"),
        ("redis://::1:6379", "in brackets"),
        ("redis://cache?db=1", "query"),
        ("redis://cache#top", "fragment"),
        ("redis://ca che", "invalid characters"),
    ]

    @Test(arguments: invalidURLs)
    func invalidURLIsRejected(url: String, expectedText: String) {
        let error = redisError { () throws(RedisError) in _ = try RedisConfiguration(url: url) }

        #expect(error?.code == .invalidURL)
        #expect(error?.description.contains(expectedText) == true, "\(String(describing: error))")
    }

    static let invalidCredentials: [(url: String, expectedText: String)] = [
        ("redis://topsecret@cache", "credentials must be"),
        ("redis://user:@cache", "password is empty"),
        ("redis://user:top%zzsecret@cache", "password contains an invalid percent-encoding"),
        ("redis://user:top%FFsecret@cache", "password is not valid UTF-8"),
        ("redis://us%4ger:topsecret@cache", "user name contains an invalid percent-encoding"),
        // Without an `@` the password lands where the port or database go.
        ("redis://user:topsecret", "port is not a number"),
        ("redis://cache:1/topsecret", "database"),
    ]

    @Test(arguments: invalidCredentials)
    func errorNeverContainsPassword(url: String, expectedText: String) {
        let error = redisError { () throws(RedisError) in _ = try RedisConfiguration(url: url) }

        #expect(error?.code == .invalidURL)
        #expect(error?.description.contains(expectedText) == true, "\(String(describing: error))")
        #expect(error?.description.contains("secret") == false, "\(String(describing: error))")
    }

    @Test func redactedDescriptionHidesPassword() throws {
        let configuration = try RedisConfiguration(url: "redis://app:hunter2@cache:6380/4")

        #expect(configuration.redactedDescription == "redis://app:***@cache:6380/4")
    }

    @Test func redactedDescriptionWithoutCredentials() throws {
        let configuration = try RedisConfiguration(url: "redis://[::1]")

        #expect(configuration.redactedDescription == "redis://[::1]:6379/0")
    }

    @Test func redactedDescriptionWithPasswordOnly() throws {
        let configuration = try RedisConfiguration(url: "redis://:hunter2@cache")

        #expect(configuration.redactedDescription == "redis://:***@cache:6379/0")
    }
}
