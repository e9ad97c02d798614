import Foundation
import Synchronization
import Testing
import TestSupport

/// The whole cluster as scripts/demo runs it: redis-server, the aggregator,
/// three replicas and HAProxy, all real processes on loopback.
@Suite(.serialized) struct ClusterTests {
    static let clients = 6
    static let viewsPerClient = 500

    @Test func viewsThroughBalancerAreCountedExactly() throws {
        let cluster = try ClusterFixture.start()
        defer { cluster.stop() }
        let counter = "e2e-\(UInt32.random(in: 0...UInt32.max))"

        let servedBy = try sendViews(to: cluster.balancerPort, counter: counter)
        let total = servedBy.values.reduce(0, +)
        #expect(total == Self.clients * Self.viewsPerClient, "views that got 200: \(total)")
        for index in 1...3 {
            #expect((servedBy["server-\(index)"] ?? 0) > 0, "server-\(index) served no view: \(servedBy)")
        }

        // Every replica must serve the exact total within 3 seconds of the last response.
        let deadline = Date().addingTimeInterval(3)
        var readings: [Int] = []
        repeat {
            readings = try cluster.replicaPorts.map { try views(of: counter, port: $0) }
            if readings.allSatisfy({ $0 == total }) { break }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        #expect(readings == [total, total, total], "replicas served \(readings)\n\(cluster.logTails())")
    }

    /// Sends the views from concurrent keep-alive clients; returns how many
    /// 200 responses each instance gave.
    private func sendViews(to port: Int, counter: String) throws -> [String: Int] {
        let counts = Mutex<[String: Int]>([:])
        let failures = Mutex<[String]>([])
        let group = DispatchGroup()
        for _ in 0..<Self.clients {
            group.enter()
            Thread {
                defer { group.leave() }
                let client = HTTPTestClient(host: "127.0.0.1", port: port)
                for _ in 0..<Self.viewsPerClient {
                    do {
                        let response = try client.send(method: "POST", path: "/api/v1/counters/\(counter)/views")
                        guard response.status == 200, let instance = response.header("x-instance") else {
                            failures.withLock { $0.append("status \(response.status)") }
                            continue
                        }
                        counts.withLock { $0[instance, default: 0] += 1 }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }.start()
        }
        #expect(group.wait(timeout: .now() + 120) == .success, "clients did not finish in 120 s")
        let failed = failures.withLock { $0 }
        #expect(failed.isEmpty, "failed requests: \(failed.prefix(5))")
        return counts.withLock { $0 }
    }

    private func views(of counter: String, port: Int) throws -> Int {
        let response = try HTTPTestClient(host: "127.0.0.1", port: port).send(method: "GET", path: "/api/v1/counters/\(counter)")
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return object?["views_last_60s"] as? Int ?? -1
    }
}
