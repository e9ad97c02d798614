import Foundation
import Synchronization

/// Polls one counter on every replica while load runs, and measures how
/// long each replica went without serving news.
///
/// Staleness of a replica at a poll is the time since the latest poll at
/// which it served a total that differed from its previous poll with
/// `stale: false`. While views arrive continuously every fresh total
/// differs, so staleness stays near flush + tick + refresh interval. It
/// grows while the replica serves `stale: true` or an unchanged total. A
/// replica that does not respond (stopped, restarting) is not serving
/// anything, so its clock restarts at its next response. The monitor also
/// records every poll at which a replica's total or `as_of` went down
/// without a gap in between.
public final class StalenessMonitor: Sendable {
    private struct ReplicaState {
        var lastFreshMillis: Int64
        var last: CounterReading?
        var staleReadings = 0
    }

    private struct State {
        var replicas: [ReplicaState]
        var maxMillis: Int64 = 0
        var periodMaxMillis: Int64 = 0
        var polls = 0
        var decreases: [String] = []
    }

    public let ports: [Int]
    public let counter: String
    private let state: Mutex<State>
    private let isStopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let startMillis = LoadGenerator.nowMillis()

    public init(ports: [Int], counter: String) {
        self.ports = ports
        self.counter = counter
        let now = LoadGenerator.nowMillis()
        state = Mutex(State(replicas: ports.map { _ in ReplicaState(lastFreshMillis: now) }))
    }

    /// Starts polling every `interval` seconds on a thread of its own.
    public func start(interval: TimeInterval = 0.1) {
        let thread = Thread { [self] in
            let clients = ports.map { HTTPTestClient(host: "127.0.0.1", port: $0, timeout: .seconds(2)) }
            while !isStopping.load(ordering: .relaxed) {
                for (index, client) in clients.enumerated() {
                    poll(index, client)
                }
                Thread.sleep(forTimeInterval: interval)
            }
            finished.signal()
        }
        thread.name = "staleness-monitor"
        thread.start()
    }

    public func stop() {
        guard !isStopping.exchange(true, ordering: .sequentiallyConsistent) else { return }
        _ = finished.wait(timeout: .now() + 10)
    }

    /// Maximum staleness over every replica since the monitor started, in ms.
    public var maxStalenessMillis: Int64 {
        state.withLock { $0.maxMillis }
    }

    /// Maximum staleness since the previous call (or the start), in ms. Each call starts a new period.
    public func takePeriodMaxStalenessMillis() -> Int64 {
        state.withLock { state in
            defer { state.periodMaxMillis = 0 }
            return state.periodMaxMillis
        }
    }

    /// Polls per replica that served `stale: true`.
    public var staleReadings: [Int] {
        state.withLock { $0.replicas.map(\.staleReadings) }
    }

    /// Totals or `as_of` values that went down between two consecutive polls of one replica.
    public var decreases: [String] {
        state.withLock { $0.decreases }
    }

    private func poll(_ index: Int, _ client: HTTPTestClient) {
        let reading = try? CounterReading.read(counter, with: client)
        let now = LoadGenerator.nowMillis()
        if reading == nil {
            client.close()
        }
        state.withLock { state in
            state.polls += 1
            var replica = state.replicas[index]
            defer { state.replicas[index] = replica }
            guard let reading else {
                replica.last = nil
                return
            }
            guard let previous = replica.last else {
                replica.last = reading
                replica.lastFreshMillis = now
                return
            }
            if reading.views < previous.views || (reading.asOfSecond ?? 0) < (previous.asOfSecond ?? 0) {
                state.decreases.append(
                    "port \(ports[index]) at +\(now - startMillis) ms: \(previous.views) -> \(reading.views), "
                        + "as_of \(previous.asOfSecond ?? 0) -> \(reading.asOfSecond ?? 0)")
            }
            if reading.isStale {
                replica.staleReadings += 1
            } else if reading.views != previous.views {
                replica.lastFreshMillis = now
            }
            replica.last = reading
            let staleness = now - replica.lastFreshMillis
            state.maxMillis = max(state.maxMillis, staleness)
            state.periodMaxMillis = max(state.periodMaxMillis, staleness)
        }
    }
}
