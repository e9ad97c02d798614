import Foundation

/// A child process started with `posix_spawn`, with every signal unblocked
/// and at its default action.
///
/// Foundation's `Process` passes on the parent's signal mask, and test
/// runners block SIGTERM in their threads, so a server started that way
/// ignores SIGTERM. Not thread-safe: one owner calls it.
final class ChildProcess {
    let pid: pid_t
    /// The raw `waitpid` status once the child has been reaped.
    private(set) var exitStatus: Int32?

    /// Starts `executable` with `arguments`; standard input, output and error go to /dev/null.
    init(executable: String, arguments: [String]) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        for descriptor in Int32(0)...2 {
            let flags = descriptor == 0 ? O_RDONLY : O_WRONLY
            posix_spawn_file_actions_addopen(&fileActions, descriptor, "/dev/null", flags, 0)
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &fileActions, &attributes, argv, environ)
        guard result == 0 else {
            throw FixtureError("posix_spawn of \(executable) failed (errno \(result))")
        }
        self.pid = pid
    }

    /// Whether the child still runs; reaps it once it has exited.
    var isRunning: Bool {
        guard exitStatus == nil else { return false }

        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = status
            return false
        }
        return true
    }

    func send(_ signal: Int32) {
        guard isRunning else { return }

        kill(pid, signal)
    }

    /// Polls until the child exits or `timeout` seconds pass; returns whether it exited.
    func waitForExit(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning {
            guard Date() < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return true
    }
}
