import Glibc

/// The error every throwing function of this module throws.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String

        public static let systemCall = Code(name: "systemCall")
        public static let invalidConfiguration = Code(name: "invalidConfiguration")
        public static let addressResolution = Code(name: "addressResolution")
        public static let invalidState = Code(name: "invalidState")

        public var description: String {
            name
        }
    }

    public var code: Code
    public var message: String
    /// The `errno` of a failed system call, nil for other failures.
    public var errno: Int32?
    /// The name of the failed system call, such as `bind`.
    public var call: String?
    public var file: String
    public var line: UInt

    public init(
        _ code: Code, _ message: String, errno: Int32? = nil, call: String? = nil,
        file: String = #fileID, line: UInt = #line
    ) {
        self.code = code
        self.message = message
        self.errno = errno
        self.call = call
        self.file = file
        self.line = line
    }

    /// Makes the error for system call `call` that failed with `errno`.
    static func systemCall(_ call: String, errno: Int32, file: String = #fileID, line: UInt = #line)
        -> HTTPServerError
    {
        let text = String(cString: strerror(errno))
        return HTTPServerError(
            .systemCall, "\(call) failed: \(text) (errno \(errno))", errno: errno, call: call,
            file: file, line: line)
    }

    public var description: String {
        "HTTPServerError.\(code): \(message) (\(file):\(line))"
    }
}
