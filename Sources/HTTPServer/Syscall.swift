import Glibc

/// Outcome of a system call on a non-blocking descriptor.
enum SyscallResult<Value> {
    case success(Value)
    /// The call returned EAGAIN or EWOULDBLOCK: nothing to do until epoll reports readiness.
    case wouldBlock
}

/// Runs a system call that returns -1 and sets errno on failure.
///
/// Retries on EINTR, returns `.wouldBlock` on EAGAIN and throws every other
/// error with errno and the call's name.
@discardableResult
func syscall<Value: BinaryInteger>(
    _ name: String, file: String = #fileID, line: UInt = #line, _ body: () -> Value
) throws(HTTPServerError) -> SyscallResult<Value> {
    while true {
        let result = body()
        guard result == -1 else { return .success(result) }

        let code = errno
        switch code {
        case EINTR:
            continue
        case EAGAIN, EWOULDBLOCK:
            return .wouldBlock
        default:
            throw HTTPServerError.systemCall(name, errno: code, file: file, line: line)
        }
    }
}
