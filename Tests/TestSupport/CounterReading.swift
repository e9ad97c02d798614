import Foundation

/// What one replica served for one counter: `GET /api/v1/counters/{name}`.
public struct CounterReading: Sendable, Equatable {
    public let views: Int
    /// The Unix second the served total's window ends at; nil before the first total.
    public let asOfSecond: Int64?
    public let isStale: Bool
    public let instance: String
    /// Views per second of the window, oldest first, when read with `series`.
    public let series: [Int]

    /// Reads `counter` from the replica on `port`; `series` adds the per-second views.
    public static func read(_ counter: String, port: Int, series: Bool = false, timeout: Duration = .seconds(3))
        throws -> CounterReading
    {
        let client = HTTPTestClient(host: "127.0.0.1", port: port, timeout: timeout)
        defer { client.close() }
        return try read(counter, with: client, series: series)
    }

    /// Reads `counter` over `client`'s keep-alive connection.
    public static func read(_ counter: String, with client: HTTPTestClient, series: Bool = false) throws
        -> CounterReading
    {
        let path = "/api/v1/counters/\(counter)" + (series ? "?series=1" : "")
        let response = try client.send(method: "GET", path: path)
        guard response.status == 200,
            let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let views = object["views_last_60s"] as? Int, let stale = object["stale"] as? Bool
        else {
            throw FixtureError("GET \(path) on port \(client.port) returned \(response.status): \(response.bodyText)")
        }
        return CounterReading(
            views: views, asOfSecond: (object["as_of"] as? String).flatMap(Self.unixSecond(iso8601:)),
            isStale: stale, instance: object["instance"] as? String ?? "?",
            series: object["series"] as? [Int] ?? [])
    }

    /// Parses `2026-12-04T19:40:00Z` into Unix seconds.
    static func unixSecond(iso8601 text: String) -> Int64? {
        let numbers = text.split(whereSeparator: { "-T:Z".contains($0) }).compactMap { Int32($0) }
        guard numbers.count == 6 else { return nil }

        var parts = tm()
        parts.tm_year = numbers[0] - 1900
        parts.tm_mon = numbers[1] - 1
        parts.tm_mday = numbers[2]
        parts.tm_hour = numbers[3]
        parts.tm_min = numbers[4]
        parts.tm_sec = numbers[5]
        return Int64(timegm(&parts))
    }
}
