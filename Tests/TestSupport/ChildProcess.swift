import Foundation

/// A child process started with `posix_spawn`, with every signal unblocked
/// and at its default action.
///
/// Foundation's `Process` passes on the parent's signal mask, and test
/// runners block SIGTERM in their threads, so a server started that way
/// ignores SIGTERM. Not thread-safe: one owner calls it.
public final class ChildProcess {
    public let pid: pid_t
    /// The raw `waitpid` status once the child has been reaped.
    public private(set) var exitStatus: Int32?

    /// Starts `executable` with `arguments`. Standard input comes from
    /// /dev/null; standard output and error go to `outputPath` (appended) or
    /// /dev/null. `environment` entries are added to the parent's environment.
    public init(
        executable: String, arguments: [String], environment: [String: String] = [:], outputPath: String? = nil
    ) throws {
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
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        let output = outputPath ?? "/dev/null"
        posix_spawn_file_actions_addopen(&fileActions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&fileActions, 1, 2)

        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, executable, &fileActions, &attributes, argv, envp)
        guard result == 0 else {
            throw FixtureError("posix_spawn of \(executable) failed (errno \(result))")
        }
        self.pid = pid
    }

    /// Whether the child still runs; reaps it once it has exited.
    public var isRunning: Bool {
        guard exitStatus == nil else { return false }

        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = status
            return false
        }
        return true
    }

    public func send(_ signal: Int32) {
        guard isRunning else { return }

        kill(pid, signal)
    }

    /// Polls until the child exits or `timeout` seconds pass; returns whether it exited.
    public func waitForExit(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning {
            guard Date() < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return true
    }
}
