import Foundation

/// Parses the status line and header fields of a response, for `HTTPTestClient`.
enum TestResponseHead {
    /// Parses `head`, the bytes before the blank line that ends the header section.
    static func parse(_ head: [UInt8]) throws -> TestHTTPResponse {
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw HTTPTestClientError("malformed status line: \(lines[0])")
        }

        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else {
                throw HTTPTestClientError("malformed header line: \(line)")
            }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((String(line[..<colon]), value))
        }
        let reason = statusParts.count > 2 ? String(statusParts[2]) : ""
        return TestHTTPResponse(status: status, reason: reason, headers: headers, body: [])
    }
}
