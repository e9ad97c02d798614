/// Routes requests by method and path pattern to handlers.
///
/// Routes are tried in the order added. A `HEAD` request with no `HEAD` route
/// goes to the `GET` route, and the server then sends its headers without the body.
/// Every response the router returns has `routeLabel` set: the matched pattern,
/// or `unmatched` for a 404.
public struct Router: Sendable {
    public typealias Handler = @Sendable (HTTPRequest, RouteParameters) -> HTTPResponse
    /// Builds the 404 and 405 responses from a status and a short message.
    public typealias ErrorResponder = @Sendable (HTTPStatus, String) -> HTTPResponse

    struct Route: Sendable {
        let method: HTTPMethod
        let pattern: RoutePattern
        let handler: Handler
    }

    /// Route label of responses to paths that no route matches.
    public static let unmatchedLabel = "unmatched"

    private var routes: [Route] = []
    private let makeErrorResponse: ErrorResponder

    /// Creates an empty router; `makeErrorResponse` shapes its 404 and 405
    /// responses, which are plain text by default.
    public init(makeErrorResponse: @escaping ErrorResponder = { HTTPResponse.text($0, $1) }) {
        self.makeErrorResponse = makeErrorResponse
    }

    /// Adds a route; `pattern` is a path whose `:name` segments capture parameters.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, handler: @escaping Handler) {
        routes.append(Route(method: method, pattern: RoutePattern(pattern), handler: handler))
    }

    /// Finds the route for the request's method and path; returns nil if none fits.
    public func match(_ request: HTTPRequest) -> RouteMatch? {
        guard let (route, parameters) = findRoute(request.method, request.path) else { return nil }
        return RouteMatch(pattern: route.pattern.text, parameters: parameters)
    }

    /// Runs the matching handler. Returns 404 for an unknown path, and 405 with `Allow` for a known path with another method.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        if let (route, parameters) = findRoute(request.method, request.path) {
            var response = route.handler(request, parameters)
            response.routeLabel = route.pattern.text
            return response
        }

        let pathRoutes = routes.filter { $0.pattern.match(request.path) != nil }
        guard let first = pathRoutes.first else {
            var response = makeErrorResponse(.notFound, "no route for this path")
            response.routeLabel = Self.unmatchedLabel
            return response
        }
        var response = makeErrorResponse(.methodNotAllowed, "method not allowed for this path")
        response.headers.add(name: "Allow", value: Self.allowedMethods(pathRoutes).joined(separator: ", "))
        response.routeLabel = first.pattern.text
        return response
    }

    private func findRoute(_ method: HTTPMethod, _ path: String) -> (Route, RouteParameters)? {
        if let found = firstRoute(method, path) {
            return found
        }
        return method == .HEAD ? firstRoute(.GET, path) : nil
    }

    private func firstRoute(_ method: HTTPMethod, _ path: String) -> (Route, RouteParameters)? {
        for route in routes where route.method == method {
            if let parameters = route.pattern.match(path) {
                return (route, parameters)
            }
        }
        return nil
    }

    /// Lists the methods of `routes`, sorted and without repeats, with HEAD added wherever GET is.
    private static func allowedMethods(_ routes: [Route]) -> [String] {
        var methods = Set(routes.map(\.method.rawValue))
        if methods.contains(HTTPMethod.GET.rawValue) {
            methods.insert(HTTPMethod.HEAD.rawValue)
        }
        return methods.sorted()
    }
}

/// The route a request matched: its pattern and the parameters it captured.
public struct RouteMatch: Sendable {
    public let pattern: String
    public let parameters: RouteParameters
}
