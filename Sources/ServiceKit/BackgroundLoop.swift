import CSystemShims
import Dispatch
import Glibc
import Synchronization

/// A thread that runs a step, waits the delay the step returns, and repeats
/// until stopped; `stop` wakes it early and then runs its final step.
///
/// The step and the final step run only on the loop's own thread, so state
/// they capture needs no lock as long as nothing else touches it.
public final class BackgroundLoop: Sendable {
    public typealias Step = @Sendable () -> Duration

    private let name: String
    private let step: Step
    private let finalStep: @Sendable () -> Void
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)

    /// `step` returns how long to wait before it runs again; `finalStep` runs once after stop.
    public init(name: String, step: @escaping Step, finalStep: @escaping @Sendable () -> Void = {}) {
        self.name = name
        self.step = step
        self.finalStep = finalStep
    }

    /// Starts the loop on a detached POSIX thread named after the loop.
    ///
    /// A POSIX thread rather than Foundation's `Thread`, because `Thread` is
    /// not in FoundationEssentials, and importing all of Foundation adds ICU
    /// (about 44 MB) to the stripped static executables.
    public func start() {
        let context = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(&handle, nil, { context in
            let loop = Unmanaged<BackgroundLoop>.fromOpaque(context!).takeRetainedValue()
            loop.run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<BackgroundLoop>.fromOpaque(context).release()
            fatalError("pthread_create failed for background loop \(name): errno \(status)")
        }
        // Linux limits thread names to 15 bytes; a longer name is cut there.
        _ = pv_set_thread_name(handle, String(decoding: name.utf8.prefix(15), as: UTF8.self))
        pthread_detach(handle)
    }

    /// Asks the loop to stop, and waits up to `timeout` for its final step to finish.
    /// Returns false if it was still running then.
    @discardableResult
    public func stop(timeout: Duration) -> Bool {
        stopping.store(true, ordering: .sequentiallyConsistent)
        wake.signal()
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        return finished.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .success
    }

    public var isStopping: Bool {
        stopping.load(ordering: .sequentiallyConsistent)
    }

    private func run() {
        while !isStopping {
            let delay = step()
            let nanoseconds = delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
            _ = wake.wait(timeout: .now() + .nanoseconds(Int(max(0, nanoseconds))))
        }
        finalStep()
        finished.signal()
    }
}
