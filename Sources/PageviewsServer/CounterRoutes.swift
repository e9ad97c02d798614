import Counting
import HTTPServer
import Observability
import ServiceKit
import Synchronization

/// The replica's HTTP routes. Handlers run on event loop threads, touch
/// only the recorder and the cache, and never wait for the store.
struct CounterRoutes: Sendable {
    let instance: String
    let recorder: ViewRecorder
    let cache: TotalsCache
    let metrics: ServerMetrics
    /// Totals older than this, in ms, are served with `stale: true`.
    let staleAfterMillis: Int64
    let isDraining: @Sendable () -> Bool

    static let home = try! CounterName("home")
    /// Built once: copying a prebuilt header list costs a retain, building one costs allocations.
    static let counterHeaders: HTTPHeaders = ["Content-Type": "application/json", "Cache-Control": "no-store"]

    func makeRouter() -> Router {
        var router = Router()
        router.add(.GET, "/") { request, _ in homePage(request) }
        router.add(.POST, "/api/v1/counters/:name/views") { request, parameters in
            recordView(parameters["name"] ?? "")
        }
        router.add(.GET, "/api/v1/counters/:name") { request, parameters in
            readCounter(parameters["name"] ?? "", includeSeries: request.query?.contains("series=1") ?? false)
        }
        router.add(.GET, "/healthz") { _, _ in .text(.ok, "ok\n") }
        router.add(.GET, "/readyz") { _, _ in
            isDraining() ? .text(.serviceUnavailable, "draining\n") : .text(.ok, "ready\n")
        }
        router.add(.GET, "/metrics") { _, _ in
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
            return HTTPResponse(status: .ok, headers: headers, body: Array(metrics.registry.render().utf8))
        }
        return router
    }

    private func homePage(_ request: HTTPRequest) -> HTTPResponse {
        if case .tooManyCounters = record(Self.home) {
            return tooManyCounters()
        }
        let total = cache.total(of: Self.home, now: UnixTime.nowMillis() / 1000)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/html; charset=utf-8")
        headers.add(name: "Cache-Control", value: "no-store")
        let body = HomePage.render(total: total, instance: instance, stale: isStale(total))
        return HTTPResponse(status: .ok, headers: headers, body: body)
    }

    private func recordView(_ name: String) -> HTTPResponse {
        let counter: CounterName
        do {
            counter = try CounterName(name)
        } catch {
            return jsonError(.badRequest, error.description)
        }
        if case .tooManyCounters = record(counter) {
            return tooManyCounters()
        }
        return counterResponse(counter, includeSeries: false)
    }

    private func readCounter(_ name: String, includeSeries: Bool) -> HTTPResponse {
        do {
            return counterResponse(try CounterName(name), includeSeries: includeSeries)
        } catch {
            return jsonError(.badRequest, error.description)
        }
    }

    private func record(_ counter: CounterName) -> ViewRecorder.Result {
        let storeNow = UnixTime.nowMillis() + cache.clockOffsetMillis
        let result = recorder.record(counter, second: CounterTotal.second(ofMillis: storeNow))
        if result == .recorded {
            metrics.viewsRecorded.increment()
        } else {
            metrics.viewsRejected.increment()
        }
        return result
    }

    private func counterResponse(_ counter: CounterName, includeSeries: Bool) -> HTTPResponse {
        let served = cache.servedTotal(of: counter, now: UnixTime.nowMillis() / 1000)
        let stale = isStale(served?.total)
        if !includeSeries, let bodies = served?.bodies {
            return HTTPResponse(status: .ok, headers: Self.counterHeaders, body: stale ? bodies.stale : bodies.fresh)
        }
        let body = CounterJSON.body(
            counter: counter, total: served?.total, asOf: served?.asOf, instance: instance, stale: stale,
            includeSeries: includeSeries)
        return HTTPResponse(status: .ok, headers: Self.counterHeaders, body: body)
    }

    private func isStale(_ total: CounterTotal?) -> Bool {
        guard let total else { return true }
        let storeNow = UnixTime.nowMillis() + cache.clockOffsetMillis
        return storeNow - total.asOfMillis > staleAfterMillis
    }

    private func tooManyCounters() -> HTTPResponse {
        jsonError(
            .tooManyRequests,
            "too many counters: this replica tracks at most \(recorder.maxCounters) (MAX_COUNTERS); "
                + "a counter is forgotten after 60 seconds without views")
    }

    private func jsonError(_ status: HTTPStatus, _ message: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: status, headers: headers, body: CounterJSON.error(message))
    }
}
