import Foundation

/// Loopback TCP ports for servers that tests start.
public enum FreePort {
    /// Binds a socket to 127.0.0.1 port 0, reads the port the kernel chose and
    /// closes the socket.
    ///
    /// Another process may take the port before the caller binds it, so a
    /// caller that fails to bind should ask again.
    public static func find() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw FixtureError("socket() failed while looking for a free port (errno \(errno))")
        }
        defer { close(descriptor) }

        var address = loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            throw FixtureError("bind() to 127.0.0.1:0 failed (errno \(errno))")
        }

        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(descriptor, $0, &length)
            }
        }
        guard named == 0 else {
            throw FixtureError("getsockname() failed (errno \(errno))")
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func loopbackAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
