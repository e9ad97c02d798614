import Glibc

/// Process-wide signal settings that a blocking socket client needs.
enum SignalSetup {
    private static let brokenPipeIgnored: Void = {
        // hiredis 0.14 writes with write(2), not send(2) with MSG_NOSIGNAL, so a
        // write to a connection the server has closed raises SIGPIPE, whose
        // default action ends the process. Ignoring it turns that into EPIPE.
        _ = signal(SIGPIPE, SIG_IGN)
    }()

    /// Sets SIGPIPE to ignored for the whole process; runs once.
    static func ignoreBrokenPipe() {
        brokenPipeIgnored
    }
}
