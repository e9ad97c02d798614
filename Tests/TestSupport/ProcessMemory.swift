import Foundation

/// Memory use of a process, from `/proc/<pid>/status`.
public enum ProcessMemory {
    /// Resident set size (`VmRSS`) in KiB, or nil when the process is gone.
    public static func residentKilobytes(pid: pid_t) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }
}
