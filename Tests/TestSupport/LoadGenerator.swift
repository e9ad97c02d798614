import Foundation
import Synchronization

/// What a `LoadGenerator` sends: `POST /api/v1/counters/{name}/views` from
/// several client threads over keep-alive connections, bounded in count and time.
public struct LoadPlan: Sendable {
    /// Client `i` sends to `ports[i % ports.count]`: one port for HAProxy, or the replicas' ports.
    public var ports: [Int]
    /// Each client cycles through these counter names.
    public var counters: [String]
    public var clients = 4
    /// Pace of each client; the load stays well below what 2 cores serve.
    public var viewsPerSecondPerClient = 100
    /// Upper bound on views sent by all clients together.
    public var maxViews = 200_000
    /// Upper bound on the time the load runs, in seconds.
    public var maxDuration: TimeInterval = 30
    /// No request starts within this many ms of a whole second, so almost
    /// every view's second is known exactly (see `ViewTally`).
    public var quietMillis: Int64 = 50

    public init(ports: [Int], counters: [String]) {
        self.ports = ports
        self.counters = counters
    }
}

/// Sends the views of a `LoadPlan` and records every 2xx in a `ViewTally`.
///
/// A failed request (no response, or a status other than 2xx) is recorded
/// as a failure and never retried, because a retried POST could count twice.
public final class LoadGenerator: Sendable {
    public let plan: LoadPlan
    public let tally: ViewTally
    private let isStopping = Atomic<Bool>(false)
    private let viewsStarted = Atomic<Int>(0)
    private let group = DispatchGroup()

    /// `tally` may be shared with another generator, so that two loads count as one.
    public init(plan: LoadPlan, tally: ViewTally = ViewTally()) {
        self.plan = plan
        self.tally = tally
    }

    /// Starts the client threads and returns at once.
    public func start() {
        let deadline = Date().addingTimeInterval(plan.maxDuration)
        for index in 0..<plan.clients {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                runClient(index, until: deadline)
            }
            thread.name = "load-client-\(index)"
            thread.start()
        }
    }

    /// Asks the clients to stop after their current request and waits up to 30 s for them.
    public func stop() {
        isStopping.store(true, ordering: .sequentiallyConsistent)
        _ = group.wait(timeout: .now() + 30)
    }

    /// Waits until the clients stop on their own (count or time bound) or `timeout` passes.
    public func waitUntilFinished(timeout: TimeInterval) -> Bool {
        group.wait(timeout: .now() + timeout) == .success
    }

    private func runClient(_ index: Int, until deadline: Date) {
        let port = plan.ports[index % plan.ports.count]
        let client = HTTPTestClient(host: "127.0.0.1", port: port, timeout: .seconds(10))
        let interval = 1.0 / Double(max(plan.viewsPerSecondPerClient, 1))
        var nextStart = Date()
        var sequence = index
        while !isStopping.load(ordering: .relaxed) && Date() < deadline {
            guard viewsStarted.add(1, ordering: .relaxed).newValue <= plan.maxViews else { return }

            Self.sleep(until: nextStart)
            waitOutsideQuietBand()
            nextStart = max(nextStart.addingTimeInterval(interval), Date().addingTimeInterval(-1))
            let counter = plan.counters[sequence % plan.counters.count]
            sequence += 1
            sendView(counter, with: client)
        }
    }

    private func sendView(_ counter: String, with client: HTTPTestClient) {
        let request = "POST /api/v1/counters/\(counter)/views HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
        let sent = Self.nowMillis()
        do {
            try client.sendRaw(request)
            let response = try client.readResponse()
            let received = Self.nowMillis()
            guard (200..<300).contains(response.status) else {
                tally.recordFailure(
                    "status \(response.status) from \(response.header("x-instance") ?? "?") at \(Self.nowMillis()) ms")
                return
            }
            tally.recordView(
                counter: counter, sentMillis: sent, receivedMillis: received,
                instance: response.header("x-instance") ?? "unknown")
        } catch {
            client.close()
            tally.recordFailure("\(error) on port \(client.port) at \(Self.nowMillis()) ms")
            // A replica that is down refuses at once; pause so the client does not spin.
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// Sleeps while the clock is within `quietMillis` of a whole second.
    private func waitOutsideQuietBand() {
        let quiet = plan.quietMillis
        guard quiet > 0 else { return }

        let offset = Self.nowMillis() % 1000
        if offset < quiet {
            usleep(UInt32((quiet - offset) * 1000))
        } else if offset >= 1000 - quiet {
            usleep(UInt32((1000 - offset + quiet) * 1000))
        }
    }

    private static func sleep(until date: Date) {
        let wait = date.timeIntervalSinceNow
        if wait > 0 {
            Thread.sleep(forTimeInterval: wait)
        }
    }

    /// Wall-clock time in Unix ms, the clock the tally uses.
    public static func nowMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
