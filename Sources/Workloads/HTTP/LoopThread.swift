import CEpoll
import Glibc

/// A joinable OS thread running one event loop.
///
/// Event loops get threads of their own, never a cooperative-pool thread: a
/// loop blocks in `epoll_wait` by design, and Foundation's `Thread` cannot be
/// joined (NOTES-swift-linux.md), which a clean stop needs.
struct LoopThread: @unchecked Sendable {
    private let handle: pthread_t

    /// Starts `body` on a new thread with a small stack (loops keep their state on the heap),
    /// named for `top` and `perf` (a thread otherwise inherits its creator's name).
    static func start(name: String, _ body: @escaping @Sendable () -> Void) throws(HTTPSystemError) -> LoopThread {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 256 * 1024)
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(&handle, &attributes, { raw in
            Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw HTTPSystemError(call: "pthread_create", code: status)
        }
        _ = pthread_setname_np(handle, String(name.prefix(15)))
        return LoopThread(handle: handle)
    }

    func join() {
        pthread_join(handle, nil)
    }

    /// The closure, boxed to cross pthread_create's `void *`.
    private final class Body {
        let run: @Sendable () -> Void

        init(_ run: @escaping @Sendable () -> Void) {
            self.run = run
        }
    }
}
