import CSystemShims
import Glibc

/// Creates the non-blocking listening TCP socket that every event loop accepts from.
enum ListenerSocket {
    /// Binds `host`:`port` with SO_REUSEADDR and listens; returns the descriptor and the bound port.
    static func make(host: String, port: Int) throws(HTTPServerError) -> (fd: Int32, port: Int) {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let address = list else {
            let reason = String(cString: gai_strerror(status))
            throw HTTPServerError(.addressResolution, "cannot resolve listen address \(host): \(reason)")
        }
        defer { freeaddrinfo(list) }

        let flags = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard case .success(let fd) = try syscall("socket", { socket(address.pointee.ai_family, flags, 0) })
        else { throw HTTPServerError.systemCall("socket", errno: EAGAIN) }

        do {
            try bindAndListen(fd, address.pointee)
            return (fd, try boundPort(fd))
        } catch {
            close(fd)
            throw error
        }
    }

    private static func bindAndListen(_ fd: Int32, _ address: addrinfo) throws(HTTPServerError) {
        var enable: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        try syscall("setsockopt(SO_REUSEADDR)") { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &enable, size) }
        try syscall("bind") { bind(fd, address.ai_addr, address.ai_addrlen) }
        try syscall("listen") { listen(fd, SOMAXCONN) }
    }

    private static func boundPort(_ fd: Int32) throws(HTTPServerError) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0 else { throw HTTPServerError.systemCall("getsockname", errno: errno) }

        let family = Int32(storage.ss_family)
        return withUnsafePointer(to: storage) { pointer in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                Int(UInt16(bigEndian: $0.pointee.sin_port))
            }
        }
    }
}
