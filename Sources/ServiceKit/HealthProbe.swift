import Glibc

/// A client for `--health-check`: sends `GET /healthz` to 127.0.0.1 and
/// reports whether the status was 200, so container images need no curl.
public enum HealthProbe {
    /// Returns true when `http://127.0.0.1:<port>/healthz` returns 200 within about two seconds.
    public static func isHealthy(port: Int) -> Bool {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return false }
        defer { close(socketFD) }

        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socketFD, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return false }

        let request = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard send(socketFD, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { return false }

        var response = [UInt8](repeating: 0, count: 64)
        let received = recv(socketFD, &response, response.count, 0)
        guard received >= 12 else { return false }
        return String(decoding: response[0..<12], as: UTF8.self).hasSuffix(" 200")
    }
}
