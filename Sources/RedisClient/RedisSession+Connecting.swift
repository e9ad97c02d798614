import Observability

extension RedisSession {
    /// Returns the open connection, or opens one and loads the scripts on it.
    func usableConnection() throws(RedisError) -> RedisConnection {
        if let connection, !connection.isBroken {
            return connection
        }
        connection = nil

        let fresh = try RedisConnection.connect(configuration)
        do {
            try loadScripts(on: fresh)
        } catch {
            drop(fresh, after: error)
            throw error
        }

        connection = fresh
        connectionCount += 1
        if connectionCount > 1 {
            reconnectCounter?.increment()
        }
        logger.debug(
            "redis connected",
            ["address": configuration.redactedDescription, "connection_count": String(connectionCount)])
        return fresh
    }

    /// Closes `failed` and clears the stored connection, so the next call connects again.
    func drop(_ failed: RedisConnection, after error: RedisError) {
        failed.close()
        if connection === failed {
            connection = nil
        }
        logger.debug(
            "redis connection dropped",
            [
                "address": configuration.redactedDescription, "error_code": error.code.rawValue,
                "error": error.message,
            ])
    }

    /// Loads the scripts again after NOSCRIPT replies, then throws `.scriptsReloaded`.
    func reloadScripts(on current: RedisConnection, missing: Int) throws(RedisError) -> Never {
        do {
            try loadScripts(on: current)
        } catch {
            drop(current, after: error)
            throw error
        }
        logger.debug("redis scripts reloaded", ["noscript_replies": String(missing)])
        throw RedisError(
            .scriptsReloaded,
            "\(missing) replies were NOSCRIPT, so the scripts were loaded again and the batch can be sent again")
    }

    /// Sends one SCRIPT LOAD per script in a single pipeline and stores the digests.
    private func loadScripts(on target: RedisConnection) throws(RedisError) {
        guard !scripts.isEmpty else { return }

        let replies = try target.pipeline(scripts.map(\.loadArguments))
        for (index, (script, reply)) in zip(scripts, replies).enumerated() {
            guard let sha = reply.string, sha.count == 40 else {
                let reason = reply.errorMessage ?? "unexpected reply \(reply)"
                throw RedisError(.serverError, "SCRIPT LOAD of script \(index) failed: \(reason)")
            }
            digests[script.source] = sha
        }
    }
}
