/// Idle, header, body, write and linger timeouts, checked once per tick.
extension EventLoop {
    /// Applies every expired timeout; O(connections) per call.
    func closeExpiredConnections(now: UInt64) {
        let expired = connections.values.filter { now >= deadline(of: $0) }
        for connection in expired {
            expire(connection, now: now)
        }
    }

    private func deadline(of connection: Connection) -> UInt64 {
        switch connection.phase {
        case .idle: connection.phaseStart + settings.idleTimeout
        case .head: connection.phaseStart + settings.headerTimeout
        case .body: connection.phaseStart + settings.bodyTimeout
        case .writing: connection.lastWriteProgress + settings.idleTimeout
        case .lingering: connection.phaseStart + Self.lingerNanoseconds
        }
    }

    /// Sends 408 to a connection stuck inside a request, and closes any other.
    private func expire(_ connection: Connection, now: UInt64) {
        let configuration = settings.configuration
        switch connection.phase {
        case .head:
            let message = "request header section not received within \(configuration.headerTimeout)"
            timeOut(connection, message, now: now)
        case .body:
            let message = "request body not received within \(configuration.bodyTimeout)"
            timeOut(connection, message, now: now)
        case .idle, .writing, .lingering:
            closeConnection(connection)
        }
    }

    private func timeOut(_ connection: Connection, _ message: String, now: UInt64) {
        logger.debug("request timed out", [LogField.reason: message])
        respondWithError(.requestTimeout, message, on: connection)
        service(connection, now: now)
    }

    /// While draining: closes connections that are between requests.
    func closeIdleConnections() {
        let idle = connections.values.filter { connection in
            connection.phase != .lingering && connection.pendingOutputCount == 0
                && connection.parser.phase == .idle
        }
        for connection in idle {
            closeConnection(connection)
        }
    }

    func closeAllConnections() {
        for connection in Array(connections.values) {
            closeConnection(connection)
        }
    }
}
