import HTTPServer

/// Responses of the counter API: JSON bodies, errors as `{"error": …}`, and
/// the CORS headers that let pages on other origins call the API.
///
/// The API takes no credentials, so `Access-Control-Allow-Origin: *` is
/// safe: a page elsewhere can record a view, as a beacon or an image would,
/// and read the public totals, nothing more.
enum APIResponse {
    /// How long a browser may reuse a preflight response, in seconds (one day).
    static let preflightMaxAgeSeconds = 86_400

    /// Built once: copying a prebuilt header list costs a retain, building one costs allocations.
    static let jsonHeaders: HTTPHeaders = [
        "Content-Type": "application/json", "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*",
    ]

    /// Makes a JSON response that no cache may keep and any origin may read.
    static func json(_ status: HTTPStatus, _ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: jsonHeaders, body: body)
    }

    /// `{"error": message}` with `status`; the router and the HTTP server use it for their errors too.
    @Sendable static func error(_ status: HTTPStatus, _ message: String) -> HTTPResponse {
        json(status, CounterJSON.error(message))
    }

    /// 204 to a CORS preflight (`OPTIONS`): any origin may send `POST` and `GET`
    /// with a `Content-Type` header, such as `application/json`.
    static func preflight() -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Access-Control-Allow-Origin", value: "*")
        headers.add(name: "Access-Control-Allow-Methods", value: "POST, GET, OPTIONS")
        headers.add(name: "Access-Control-Allow-Headers", value: "Content-Type")
        headers.add(name: "Access-Control-Max-Age", value: String(preflightMaxAgeSeconds))
        return HTTPResponse(status: .noContent, headers: headers)
    }
}
