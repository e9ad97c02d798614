import Glibc
import Synchronization

/// Destination of formatted log lines.
///
/// `write` is called from any thread with one complete line, newline included.
public protocol LogSink: Sendable {
    func write(_ line: String)
}

/// Writes each line to standard error in one `write(2)` call, so lines from
/// different threads never interleave.
public struct StandardErrorSink: LogSink {
    public init() {}

    public func write(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // Nowhere left to report a failing stderr.
                }
                offset += written
            }
        }
    }
}

/// Keeps lines in memory; tests read them back to check what was logged.
public final class MemorySink: LogSink {
    private let storage = Mutex<[String]>([])

    public init() {}

    public func write(_ line: String) {
        storage.withLock { $0.append(line) }
    }

    /// Lines written so far, oldest first.
    public var lines: [String] {
        storage.withLock { $0 }
    }
}
