extension RedisConnection {
    /// Sends AUTH when a password is configured: `AUTH user password` with a
    /// user name (Redis 6 ACLs), else `AUTH password`.
    func authenticate() throws(RedisError) {
        guard let password = configuration.password else { return }

        var arguments: [RedisArgument] = ["AUTH"]
        if let username = configuration.username {
            arguments.append(RedisArgument(username))
        }
        arguments.append(RedisArgument(password))

        let reply = try command(arguments)
        if let message = reply.errorMessage {
            close()
            // Only the first word of the error (WRONGPASS, or ERR when the server
            // has no password) goes into the message, so no server text can
            // carry the password into a log.
            let reason = message.split(separator: " ").first.map(String.init) ?? "ERR"
            let user = configuration.username ?? "default"
            throw RedisError(.authenticationFailed, "AUTH as user '\(user)' was rejected: \(reason)")
        }
    }

    /// Sends SELECT when the configured database is not 0.
    func selectDatabase() throws(RedisError) {
        guard configuration.database != 0 else { return }

        let reply = try command("SELECT", RedisArgument(configuration.database))
        if let message = reply.errorMessage {
            close()
            throw RedisError(.serverError, "SELECT \(configuration.database) failed: \(message)")
        }
    }
}
