import Dispatch
import Glibc
import Synchronization

/// Waits for SIGTERM or SIGINT.
///
/// The signals are ignored at the process level and delivered through a
/// dispatch source instead, so handling them runs ordinary Swift code rather
/// than an async-signal-safe handler.
///
/// `@unchecked Sendable`: `sources` is written once by `install()`, which
/// runs on the main thread before anything else uses the instance, and only
/// keeps the sources alive afterwards; the other state is a mutex and a semaphore.
public final class ShutdownSignal: @unchecked Sendable {
    private let received = Mutex<Int32?>(nil)
    private let semaphore = DispatchSemaphore(value: 0)
    private var sources: [DispatchSourceSignal] = []

    public init() {}

    /// Starts listening; call once, early in `main`.
    public func install() {
        let queue = DispatchQueue(label: "shutdown-signal")
        var installed: [DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [self] in
                deliver(number)
            }
            source.resume()
            installed.append(source)
        }
        sources = installed
    }

    /// Blocks until a signal arrives, or `trigger()` is called; returns the signal number (0 for `trigger`).
    public func wait() -> Int32 {
        semaphore.wait()
        semaphore.signal()  // Later waiters return at once.
        return received.withLock { $0 } ?? 0
    }

    /// Ends `wait()` as a signal would; tests use it to stop a running service.
    public func trigger() {
        deliver(0)
    }

    private func deliver(_ number: Int32) {
        let isFirst = received.withLock { value in
            guard value == nil else { return false }
            value = number
            return true
        }
        if isFirst {
            semaphore.signal()
        }
    }
}
