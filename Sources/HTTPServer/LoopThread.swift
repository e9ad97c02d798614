import Glibc

/// A POSIX thread that runs one event loop; joined by the server at shutdown.
struct LoopThread: Sendable {
    private let handle: pthread_t

    /// Starts a thread that runs `loop.run()`.
    static func start(_ loop: EventLoop) throws(HTTPServerError) -> LoopThread {
        let context = Unmanaged.passRetained(loop).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(&handle, nil, { context in
            let loop = Unmanaged<EventLoop>.fromOpaque(context!).takeRetainedValue()
            loop.run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<EventLoop>.fromOpaque(context).release()
            throw HTTPServerError.systemCall("pthread_create", errno: status)
        }
        return LoopThread(handle: handle)
    }

    /// Whether the caller runs on this thread.
    var isCurrent: Bool {
        pthread_equal(handle, pthread_self()) != 0
    }

    /// Blocks until the thread has exited.
    func join() {
        pthread_join(handle, nil)
    }
}
