import CSystemShims
import Glibc

/// Reading, parsing, responding and writing on one connection.
extension EventLoop {
    /// The reason `processRequests` stopped.
    enum ProcessingStop {
        /// The parser needs more bytes, or the connection will close after its output.
        case needInput
        /// Pending output reached the high-water mark; buffered requests wait.
        case outputFull
    }

    /// Reads once from the socket into the parser; returns false if the connection was closed.
    func readInput(_ connection: Connection) -> Bool {
        let result: SyscallResult<Int>
        do {
            result = try syscall("recv") { recv(connection.fd, readBuffer.baseAddress, readBuffer.count, 0) }
        } catch {
            logger.debug("connection read failed", [LogField.error: error.description])
            closeConnection(connection)
            return false
        }
        guard case .success(let count) = result else { return true }

        if count == 0 {
            connection.inputClosed = true
        }
        if connection.phase == .lingering {
            connection.discardedBytes += count
            guard count > 0, connection.discardedBytes <= Self.maxLingerDiscardBytes else {
                closeConnection(connection)
                return false
            }
            return true
        }
        connection.parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[..<count]))
        return true
    }

    /// Responds to the complete requests buffered, writes, and updates epoll interest and the phase.
    func service(_ connection: Connection, now: UInt64) {
        guard connection.phase != .lingering else { return }

        let servedBefore = connection.servedRequests
        while true {
            let stop = connection.closeAfterWrite ? .needInput : processRequests(connection)
            guard flush(connection, now: now), connection.phase != .lingering else { return }
            // The output drained while requests are still buffered, so handle them before waiting for an event.
            if stop == .needInput || connection.pendingOutputCount > 0 {
                break
            }
        }

        let isFinished = connection.inputClosed || (isDraining && connection.parser.phase == .idle)
        if isFinished && connection.pendingOutputCount == 0 {
            closeConnection(connection)
            return
        }
        updateInterest(connection)
        updatePhase(connection, now: now, servedRequest: connection.servedRequests != servedBefore)
    }

    private func processRequests(_ connection: Connection) -> ProcessingStop {
        while connection.pendingOutputCount < Self.outputHighWater {
            switch connection.parser.next() {
            case .needMore:
                if connection.parser.takeContinueRequest() {
                    connection.output.append(contentsOf: HTTPResponseSerializer.continueBytes)
                }
                return .needInput
            case .request(let request):
                respond(to: request, on: connection)
                if connection.closeAfterWrite {
                    return .needInput
                }
            case .error(let error):
                logger.debug("request rejected", [LogField.status: String(error.status.code), LogField.reason: error.message])
                respondWithError(error.status, error.message, on: connection)
                return .needInput
            }
        }
        return .outputFull
    }

    private func respond(to request: HTTPRequest, on connection: Connection) {
        let start = MonotonicClock.nanoseconds()
        let response = handler(request)
        let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9

        // The shared flag, not `isDraining`: this loop may serve a request in the same
        // batch of events as its wake-up, before it applies the flag to its own state.
        let isServerDraining = lifecycle.isDraining
        let close = !request.keepAlive || isServerDraining
            || response.headers.containsToken("close", inField: "Connection")
        serializer.serialize(response, omitBody: request.method == .HEAD, close: close, into: &connection.output)
        requestMetrics.record(
            route: response.routeLabel ?? Router.unmatchedLabel, method: request.method.metricLabel,
            status: response.status.code, seconds: seconds)
        connection.servedRequests += 1
        if close {
            connection.closeAfterWrite = true
        }
    }

    /// Queues a server-generated error response; the connection closes after it.
    func respondWithError(_ status: HTTPStatus, _ message: String, on connection: Connection) {
        let response = settings.configuration.makeErrorResponse(status, message)
        serializer.serialize(response, omitBody: false, close: true, into: &connection.output)
        requestMetrics.record(
            route: RequestMetricsRecorder.invalidRoute, method: RequestMetricsRecorder.unknownMethod,
            status: status.code, seconds: nil)
        connection.closeAfterWrite = true
    }

    /// Sends pending output once; returns false if the connection was closed.
    ///
    /// When the final response is out, the connection starts lingering.
    func flush(_ connection: Connection, now: UInt64) -> Bool {
        if connection.pendingOutputCount > 0 {
            do {
                if case .success(let sent) = try send(connection) {
                    connection.outputOffset += sent
                    connection.lastWriteProgress = now
                    compactOutput(connection)
                }
            } catch {
                logger.debug("connection write failed", [LogField.error: error.description])
                closeConnection(connection)
                return false
            }
        }
        if connection.pendingOutputCount == 0 && connection.closeAfterWrite {
            return beginLingering(connection, now: now)
        }
        return true
    }

    private func send(_ connection: Connection) throws(HTTPServerError) -> SyscallResult<Int> {
        let offset = connection.outputOffset
        let count = connection.pendingOutputCount
        var result = SyscallResult<Int>.wouldBlock
        var failure: HTTPServerError?
        connection.output.withUnsafeBytes { bytes in
            do throws(HTTPServerError) {
                // MSG_NOSIGNAL: a closed peer gives EPIPE instead of killing the process with SIGPIPE.
                result = try syscall("send") { Glibc.send(connection.fd, bytes.baseAddress! + offset, count, Int32(MSG_NOSIGNAL)) }
            } catch {
                failure = error
            }
        }
        if let failure {
            throw failure
        }
        return result
    }

    private func compactOutput(_ connection: Connection) {
        if connection.outputOffset == connection.output.count {
            let keep = connection.output.capacity <= Self.retainedOutputCapacity
            connection.output.removeAll(keepingCapacity: keep)
            connection.outputOffset = 0
        } else if connection.outputOffset >= Self.retainedOutputCapacity {
            connection.output.removeSubrange(0..<connection.outputOffset)
            connection.outputOffset = 0
        }
    }

    /// Shuts down the write side and drops input until EOF or the linger timeout.
    private func beginLingering(_ connection: Connection, now: UInt64) -> Bool {
        guard !connection.inputClosed else {
            closeConnection(connection)
            return false
        }
        _ = shutdown(connection.fd, Int32(SHUT_WR))
        connection.phase = .lingering
        connection.phaseStart = now
        setInterest(connection, EPOLLIN.rawValue)
        return true
    }

    private func updateInterest(_ connection: Connection) {
        var events: UInt32 = 0
        let acceptsInput = !connection.inputClosed && !connection.closeAfterWrite
        if acceptsInput && connection.pendingOutputCount < Self.outputHighWater {
            events |= EPOLLIN.rawValue
        }
        if connection.pendingOutputCount > 0 {
            events |= EPOLLOUT.rawValue
        }
        setInterest(connection, events)
    }

    private func setInterest(_ connection: Connection, _ events: UInt32) {
        guard events != connection.registeredEvents else { return }

        var event = epoll_event()
        event.events = events
        event.data.fd = connection.fd
        guard epoll_ctl(epollFD, EPOLL_CTL_MOD, connection.fd, &event) == 0 else {
            logger.warning("epoll_ctl(MOD) failed", [LogField.error: String(cString: strerror(errno))])
            closeConnection(connection)
            return
        }
        connection.registeredEvents = events
    }

    /// Sets the phase, and restarts its timeout when the phase changed or a
    /// request got its response. A keep-alive connection whose request was
    /// served within one call stays `.idle`, but its idle time starts again.
    private func updatePhase(_ connection: Connection, now: UInt64, servedRequest: Bool) {
        let phase = connection.currentPhase()
        if phase != connection.phase || servedRequest {
            connection.phase = phase
            connection.phaseStart = now
        }
    }

    func closeConnection(_ connection: Connection) {
        guard connections.removeValue(forKey: connection.fd) != nil else { return }

        // Closing the only descriptor of the socket also removes it from the epoll set.
        close(connection.fd)
        metrics.connectionsOpen.decrement()
    }
}
