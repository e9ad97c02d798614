import Glibc
import Synchronization

/// State that the server's owner thread and every event loop share: the
/// listening socket and the stop flags.
///
/// Flags only ever go from false to true. The owner thread sets them and wakes
/// the loops, and each loop reads them once per iteration.
final class ServerLifecycle: Sendable {
    /// The listening socket. It is closed by the last loop that releases it, so
    /// no loop can call accept on a descriptor number that was closed and reused.
    let listenerFD: Int32
    private let accepting = Atomic<Bool>(true)
    private let draining = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    /// Loops that still have the listener registered.
    private let listenerHolders: Atomic<Int>
    /// Loops whose `run()` has not returned yet.
    private let runningLoops: Atomic<Int>

    init(listenerFD: Int32, loopCount: Int) {
        self.listenerFD = listenerFD
        listenerHolders = Atomic(loopCount)
        runningLoops = Atomic(loopCount)
    }

    var isAccepting: Bool { accepting.load(ordering: .acquiring) }
    var isDraining: Bool { draining.load(ordering: .acquiring) }
    var isStopping: Bool { stopping.load(ordering: .acquiring) }
    var runningLoopCount: Int { runningLoops.load(ordering: .acquiring) }
    var isListenerClosed: Bool { listenerHolders.load(ordering: .acquiring) == 0 }

    func stopAccepting() {
        accepting.store(false, ordering: .releasing)
    }

    /// Asks loops to close idle connections and exit once they have none.
    func beginDraining() {
        draining.store(true, ordering: .releasing)
    }

    /// Asks loops to close every connection and exit now.
    func stop() {
        stopping.store(true, ordering: .releasing)
    }

    /// Called once by each loop after it removed the listener from its epoll set.
    func releaseListener() {
        if listenerHolders.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
            close(listenerFD)
        }
    }

    /// Called once by each loop as its `run()` returns.
    func loopFinished() {
        runningLoops.subtract(1, ordering: .acquiringAndReleasing)
    }
}
