/// An HTTP request method token such as `GET`; any token is allowed.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let GET = HTTPMethod(rawValue: "GET")
    public static let HEAD = HTTPMethod(rawValue: "HEAD")
    public static let POST = HTTPMethod(rawValue: "POST")
    public static let PUT = HTTPMethod(rawValue: "PUT")
    public static let DELETE = HTTPMethod(rawValue: "DELETE")
    public static let OPTIONS = HTTPMethod(rawValue: "OPTIONS")
    public static let PATCH = HTTPMethod(rawValue: "PATCH")

    /// The methods above, which the parser returns without allocating a new string.
    static let common: [HTTPMethod] = [.GET, .HEAD, .POST, .PUT, .DELETE, .OPTIONS, .PATCH]
    /// The bytes of `common`, in the same order; comparing arrays of bytes is
    /// much cheaper than comparing a slice with a string's UTF-8 view.
    private static let commonTokens: [[UInt8]] = common.map { Array($0.rawValue.utf8) }

    public var description: String {
        rawValue
    }

    /// Makes a method from the bytes of a token, reusing a common method's storage.
    init(token: ArraySlice<UInt8>) {
        if let index = Self.commonTokens.firstIndex(where: { $0.elementsEqual(token) }) {
            self = Self.common[index]
        } else {
            self.init(rawValue: String(decoding: token, as: UTF8.self))
        }
    }

    /// Label value for metrics: a common method, or `OTHER` so that clients
    /// cannot create unbounded label values.
    var metricLabel: String {
        Self.common.contains(self) ? rawValue : "OTHER"
    }
}
