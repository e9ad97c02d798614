import CSystemShims
import Glibc

/// Accepting connections from the shared listener.
extension EventLoop {
    func registerListener() {
        guard !isListenerReleased, !isListenerRegistered, lifecycle.isAccepting else { return }

        do {
            try register(lifecycle.listenerFD, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
            isListenerRegistered = true
        } catch {
            logger.error("cannot watch the listening socket", [LogField.error: error.description])
        }
    }

    /// Removes the listener from this loop for good; the last loop to do so closes it.
    func releaseListener() {
        guard !isListenerReleased else { return }

        unregisterListener()
        isListenerReleased = true
        lifecycle.releaseListener()
    }

    private func unregisterListener() {
        guard isListenerRegistered else { return }

        isListenerRegistered = false
        var event = epoll_event()
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, lifecycle.listenerFD, &event)
    }

    func acceptConnections(now: UInt64) {
        let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        for _ in 0..<Self.acceptBatch {
            let result: SyscallResult<Int32>
            do {
                result = try syscall("accept4") { pv_accept4(lifecycle.listenerFD, nil, nil, flags) }
            } catch {
                handleAcceptError(error, now: now)
                return
            }
            guard case .success(let fd) = result else { return }
            openConnection(fd, now: now)
        }
    }

    private func handleAcceptError(_ error: HTTPServerError, now: UInt64) {
        switch error.errno {
        case ECONNABORTED, EPROTO, EPERM:
            // The client went away before accept; nothing to do.
            logger.debug("accept failed", [LogField.error: error.description])
        default:
            // Out of descriptors or memory: the listener stays readable, so stop
            // watching it for a moment instead of spinning. Logged once per pause.
            logger.warning("accept failed, pausing accepts for 100 ms", [LogField.error: error.description])
            unregisterListener()
            acceptResumeTime = now + Self.acceptPauseNanoseconds
        }
    }

    private func openConnection(_ fd: Int32, now: UInt64) {
        var enable: Int32 = 1
        // Responses go out in one send each batch; Nagle's delay would only add latency.
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &enable, socklen_t(MemoryLayout<Int32>.size))
        do {
            try register(fd, events: EPOLLIN.rawValue)
        } catch {
            logger.warning("cannot watch accepted connection", [LogField.error: error.description])
            close(fd)
            return
        }

        connections[fd] = Connection(
            fd: fd, limits: settings.limits, now: now, registeredEvents: EPOLLIN.rawValue)
        metrics.connectionsOpen.increment()
        metrics.connectionsTotal.increment()
    }
}
