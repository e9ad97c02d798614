import Foundation

/// A readiness check for a Redis server on a loopback port, written without a client library.
enum RedisProbe {
    /// Sends `PING` and returns true for any RESP reply line, `-NOAUTH` included,
    /// because a server that requires a password is up but rejects the PING.
    static func replies(port: Int, timeoutMilliseconds: Int = 200) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }

        var timeout = timeval(tv_sec: 0, tv_usec: timeoutMilliseconds * 1000)
        let timeoutSize = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, timeoutSize)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, timeoutSize)

        var address = FreePort.loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return false }

        let ping = Array("PING\r\n".utf8)
        guard send(descriptor, ping, ping.count, Int32(MSG_NOSIGNAL)) == ping.count else { return false }
        var reply = [UInt8](repeating: 0, count: 64)
        let received = recv(descriptor, &reply, reply.count, 0)
        guard received > 0 else { return false }
        return reply[0] == UInt8(ascii: "+") || reply[0] == UInt8(ascii: "-")
    }
}
