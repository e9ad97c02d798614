import Synchronization

/// Whether the replica takes new work: true from start until draining begins.
/// Read by `/readyz` on event loop threads, written once by the drain.
final class Readiness: Sendable {
    private let draining = Atomic<Bool>(false)

    var isDraining: Bool {
        draining.load(ordering: .relaxed)
    }

    func beginDraining() {
        draining.store(true, ordering: .relaxed)
    }
}
