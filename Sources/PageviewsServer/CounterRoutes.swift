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
    /// Local Unix time in ms; tests pass a clock they can move.
    let clock: @Sendable () -> Int64
    let isDraining: @Sendable () -> Bool

    static let home = try! CounterName("home")
    static let viewsPattern = "/api/v1/counters/:name/views"
    static let counterPattern = "/api/v1/counters/:name"
    static let badgePattern = "/api/v1/counters/:name/badge.svg"

    func makeRouter() -> Router {
        var router = Router(makeErrorResponse: APIResponse.error)
        router.add(.GET, "/") { request, _ in homePage(request) }
        router.add(.POST, Self.viewsPattern) { _, parameters in
            recordView(parameters["name"] ?? "")
        }
        router.add(.GET, Self.counterPattern) { request, parameters in
            readCounter(parameters["name"] ?? "", query: request.query)
        }
        router.add(.GET, Self.badgePattern) { request, parameters in
            badge(parameters["name"] ?? "", countsView: request.method != .HEAD)
        }
        for pattern in [Self.viewsPattern, Self.counterPattern, Self.badgePattern] {
            router.add(.OPTIONS, pattern) { _, parameters in preflight(parameters["name"] ?? "") }
        }
        addOperationalRoutes(to: &router)
        return router
    }

    private func addOperationalRoutes(to router: inout Router) {
        router.add(.GET, "/healthz") { _, _ in .text(.ok, "ok") }
        router.add(.GET, "/readyz") { _, _ in
            isDraining() ? .text(.serviceUnavailable, "draining") : .text(.ok, "ready")
        }
        router.add(.GET, "/metrics") { _, _ in
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
            return HTTPResponse(status: .ok, headers: headers, body: Array(metrics.registry.render().utf8))
        }
        router.add(.GET, "/openapi.yaml") { _, _ in
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/yaml")
            headers.add(name: "Access-Control-Allow-Origin", value: "*")
            return HTTPResponse(status: .ok, headers: headers, body: Array(OpenAPIDocument.yaml.utf8))
        }
    }

    /// Renders the HTML page and records a view of `home`, except for a `HEAD`
    /// request, because link checkers send those.
    private func homePage(_ request: HTTPRequest) -> HTTPResponse {
        if request.method != .HEAD, case .tooManyCounters = record(Self.home) {
            return tooManyCounters()
        }
        let total = cache.total(of: Self.home, now: clock() / 1000)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/html; charset=utf-8")
        headers.add(name: "Cache-Control", value: "no-store")
        let body = HomePage.render(total: total, instance: instance, stale: isStale(total))
        return HTTPResponse(status: .ok, headers: headers, body: body)
    }

    /// Returns the response to a CORS preflight. An invalid name gets the 400
    /// that the request it announces would get.
    private func preflight(_ name: String) -> HTTPResponse {
        do {
            _ = try CounterName(name)
        } catch {
            return APIResponse.error(.badRequest, error.description)
        }
        return APIResponse.preflight()
    }

    /// Records a view; the request body, such as a beacon's, is ignored.
    private func recordView(_ name: String) -> HTTPResponse {
        let counter: CounterName
        do {
            counter = try CounterName(name)
        } catch {
            return APIResponse.error(.badRequest, error.description)
        }
        if case .tooManyCounters = record(counter) {
            return tooManyCounters()
        }
        return counterResponse(counter, includeSeries: false)
    }

    private func readCounter(_ name: String, query: String?) -> HTTPResponse {
        let counter: CounterName
        let includeSeries: Bool
        do {
            counter = try CounterName(name)
            includeSeries = try Self.seriesFlag(in: query)
        } catch {
            return APIResponse.error(.badRequest, "\(error)")
        }
        guard cache.track(counter, now: clock() / 1000) else {
            return tooManyCounters()
        }
        return counterResponse(counter, includeSeries: includeSeries)
    }

    /// Records a view unless `countsView` is false, and returns the SVG badge.
    /// Its headers keep browsers and proxies from caching it, so every page
    /// load fetches it again and counts.
    private func badge(_ name: String, countsView: Bool) -> HTTPResponse {
        let counter: CounterName
        do {
            counter = try CounterName(name)
        } catch {
            return APIResponse.error(.badRequest, error.description)
        }
        if countsView, case .tooManyCounters = record(counter) {
            return tooManyCounters()
        }
        let total = cache.total(of: counter, now: clock() / 1000)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "image/svg+xml")
        headers.add(name: "Cache-Control", value: "no-cache, no-store, must-revalidate, max-age=0")
        headers.add(name: "Pragma", value: "no-cache")
        headers.add(name: "Expires", value: "0")
        headers.add(name: "Access-Control-Allow-Origin", value: "*")
        let svg = BadgeSVG.render(views: total?.views ?? 0, stale: isStale(total))
        return HTTPResponse(status: .ok, headers: headers, body: Array(svg.utf8))
    }

    private func record(_ counter: CounterName) -> ViewRecorder.Result {
        let storeNow = clock() + cache.clockOffsetMillis
        let result = recorder.record(counter, second: CounterTotal.second(ofMillis: storeNow))
        if result == .recorded {
            metrics.viewsRecorded.increment()
        } else {
            metrics.viewsRejected.increment()
        }
        return result
    }

    /// Serves the bodies the refresher rendered once per refresh when it can,
    /// so a plain read formats no time and builds no JSON.
    private func counterResponse(_ counter: CounterName, includeSeries: Bool) -> HTTPResponse {
        let served = cache.servedTotal(of: counter, now: clock() / 1000)
        let stale = isStale(served?.total)
        if !includeSeries, let bodies = served?.bodies {
            return APIResponse.json(.ok, stale ? bodies.stale : bodies.fresh)
        }
        let body = CounterJSON.body(
            counter: counter, total: served?.total, asOf: served?.asOf, instance: instance, stale: stale,
            includeSeries: includeSeries)
        return APIResponse.json(.ok, body)
    }

    private func isStale(_ total: CounterTotal?) -> Bool {
        guard let total else { return true }
        let storeNow = clock() + cache.clockOffsetMillis
        return storeNow - total.asOfMillis > staleAfterMillis
    }

    private func tooManyCounters() -> HTTPResponse {
        APIResponse.error(
            .tooManyRequests,
            "too many counters: this replica tracks at most \(recorder.maxCounters) (MAX_COUNTERS); "
                + "a counter is forgotten after 60 seconds without views or reads")
    }

    /// Parses the `series` query parameter. `1` or `true` adds the series,
    /// and `0`, `false` or no parameter leaves it out. The last occurrence wins.
    static func seriesFlag(in query: String?) throws(InvalidQuery) -> Bool {
        guard let query else { return false }

        var flag = false
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts[0] == "series" else { continue }
            switch parts.count == 2 ? parts[1] : "" {
            case "1", "true": flag = true
            case "0", "false": flag = false
            default: throw InvalidQuery(message: "invalid series parameter: use series=1 or series=0")
            }
        }
        return flag
    }
}

/// A query parameter with a value the route does not accept.
struct InvalidQuery: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
