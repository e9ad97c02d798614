import Foundation

/// Runs a child process on a shifted wall clock with libfaketime (Debian
/// package `faketime`), loaded through `LD_PRELOAD` so the child keeps its own PID.
public enum FakeClock {
    /// Folders where Debian and other distributions install libfaketime.
    static let searchFolders = [
        "/usr/lib/x86_64-linux-gnu/faketime", "/usr/lib/aarch64-linux-gnu/faketime",
        "/usr/lib/faketime", "/usr/local/lib/faketime", "/usr/lib64/faketime",
    ]

    /// Returns the environment that shifts a child's clocks by `offset` (`+5s`, `-5s`).
    ///
    /// The multi-threaded variant of the library is used because the
    /// services run several threads. Monotonic clocks shift by the same
    /// constant, so durations and timeouts stay correct.
    public static func environment(offset: String) throws -> [String: String] {
        ["LD_PRELOAD": try libraryPath(), "FAKETIME": offset, "FAKETIME_DONT_RESET": "1"]
    }

    static func libraryPath() throws -> String {
        let candidates = searchFolders.map { "\($0)/libfaketimeMT.so.1" }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw FixtureError(
                "libfaketimeMT.so.1 was not found in \(searchFolders.joined(separator: ", ")). "
                    + "Install it (Debian: apt-get install faketime) to run the clock tests")
        }
        return found
    }
}
