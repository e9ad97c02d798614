/// Splits a `redis://` URL into a `RedisConfiguration`.
///
/// Credentials are split off at the last `@` before anything else, so a
/// password that contains `/`, `?` or `#` without percent-encoding still
/// parses. No message repeats the credentials.
struct RedisURLParser {
    let url: String
    /// Whether `user@` without a password is a user name, because the password comes from elsewhere.
    let allowsUserWithoutPassword: Bool

    init(url: String, allowsUserWithoutPassword: Bool = false) {
        self.url = url
        self.allowsUserWithoutPassword = allowsUserWithoutPassword
    }

    mutating func parse() throws(RedisError) -> RedisConfiguration {
        let remainder = try stripScheme()

        var configuration = RedisConfiguration(host: "")
        var location = Substring(remainder)
        if let at = remainder.lastIndex(of: "@") {
            try parseCredentials(remainder[..<at], into: &configuration)
            location = remainder[remainder.index(after: at)...]
        }

        if location.contains("?") || location.contains("#") {
            throw invalid("query strings and fragments are not supported")
        }
        let authority: Substring
        if let slash = location.firstIndex(of: "/") {
            authority = location[..<slash]
            configuration.database = try parseDatabase(location[location.index(after: slash)...])
        } else {
            authority = location
        }
        try parseHostAndPort(authority, into: &configuration)
        return configuration
    }

    private func stripScheme() throws(RedisError) -> Substring {
        guard let separator = url.firstRange(of: "://") else {
            throw invalid("missing scheme, expected redis://host:port/db")
        }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "redis" else {
            let hint = scheme == "rediss" ? " (TLS is not supported)" : ""
            throw invalid("unsupported scheme '\(scheme)'\(hint), expected redis://")
        }
        return url[separator.upperBound...]
    }

    private func parseCredentials(
        _ userInfo: Substring, into configuration: inout RedisConfiguration
    ) throws(RedisError) {
        guard let colon = userInfo.firstIndex(of: ":") else {
            // Without a separate password, `secret@` is more likely a password
            // missing its colon than a user name, and a user name gets logged.
            guard allowsUserWithoutPassword else {
                throw invalid("credentials must be user:password@ or :password@")
            }
            configuration.username = try percentDecode(userInfo, part: "user name")
            return
        }
        let user = try percentDecode(userInfo[..<colon], part: "user name")
        let password = try percentDecode(userInfo[userInfo.index(after: colon)...], part: "password")
        guard !password.isEmpty else {
            throw invalid("the password is empty")
        }
        configuration.username = user.isEmpty ? nil : user
        configuration.password = password
    }

    private func parseHostAndPort(
        _ authority: Substring, into configuration: inout RedisConfiguration
    ) throws(RedisError) {
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw invalid("the IPv6 host has no closing bracket")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let rest = authority[authority.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else {
                    throw invalid("unexpected text after the IPv6 host, expected :port")
                }
                portText = rest.dropFirst()
            }
        } else {
            host = authority
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
                if portText!.contains(":") {
                    throw invalid("the host has several colons, so an IPv6 address must be in brackets")
                }
            }
        }

        guard !host.isEmpty else {
            throw invalid("the host is missing")
        }
        guard !host.contains(where: { $0.isWhitespace || $0 == "[" || $0 == "]" }) else {
            throw invalid("host '\(host)' contains invalid characters")
        }
        configuration.host = String(host)
        if let portText {
            configuration.port = try parsePort(portText)
        }
    }

    // Port and database texts are echoed only when they are all digits: a URL
    // that lacks its `@` puts the password where the port or database goes.
    private func parsePort(_ text: Substring) throws(RedisError) -> Int {
        guard !text.isEmpty, text.allSatisfy(\.isASCIIDigit) else {
            throw invalid("the port is not a number from 1 to 65535")
        }
        guard let port = Int(text), (1...65535).contains(port) else {
            throw invalid("port \(text) is not a number from 1 to 65535")
        }
        return port
    }

    private func parseDatabase(_ text: Substring) throws(RedisError) -> Int {
        if text.isEmpty {
            return 0
        }
        guard text.allSatisfy(\.isASCIIDigit) else {
            throw invalid("the database after the / is not a non-negative integer")
        }
        guard let database = Int(text), database <= Int(Int32.max) else {
            throw invalid("database \(text) is out of range")
        }
        return database
    }

    /// Decodes `%XX` escapes; the message names only the part, never its value.
    private func percentDecode(_ text: Substring, part: String) throws(RedisError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw invalid("the \(part) contains an invalid percent-encoding")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw invalid("the \(part) is not valid UTF-8 after percent-decoding")
        }
        return decoded
    }

    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private func invalid(_ reason: String) -> RedisError {
        RedisError(.invalidURL, "invalid Redis URL: \(reason)")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool {
        isASCII && isNumber
    }
}
