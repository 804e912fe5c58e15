import CEpoll
import Glibc

/// A joinable OS thread (pthread) running a closure.
///
/// Foundation's `Thread` cannot be joined (NOTES-swift-linux.md), and a
/// cooperative-pool thread must never block: event loops, pipe drains and
/// watchers get threads of their own, created here and only here.
public struct NativeThread: @unchecked Sendable {
    private let handle: pthread_t

    /// Starts `body` on a new thread with a small stack (the bodies keep their
    /// state on the heap), named for `top` and `perf` (a thread otherwise
    /// inherits its creator's name).
    public static func start(
        name: String, stackBytes: Int = 256 * 1024, _ body: @escaping @Sendable () -> Void
    ) throws(SystemCallError) -> NativeThread {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackBytes)
        // Named by the thread itself: for another thread glibc opens and writes
        // /proc/self/task/<tid>/comm (three system calls), for itself it is one prctl.
        let threadName = String(name.prefix(15))
        let context = Unmanaged.passRetained(Body {
            _ = pthread_setname_np(pthread_self(), threadName)
            body()
        }).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(&handle, &attributes, { raw in
            Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw SystemCallError("cannot start a thread (\(name))", errno: status)
        }
        return NativeThread(handle: handle)
    }

    /// Waits for the thread to end.
    public func join() {
        pthread_join(handle, nil)
    }

    /// Lets the thread end on its own; it can no longer be joined.
    public func detach() {
        pthread_detach(handle)
    }

    /// The closure, boxed to cross pthread_create's `void *`.
    private final class Body {
        let run: @Sendable () -> Void

        init(_ run: @escaping @Sendable () -> Void) {
            self.run = run
        }
    }
}
