import CEpoll
import Glibc
import LocalHTTP
import Platform
import Synchronization

/// Readiness for Swift tasks: a task that finds its socket empty (or full)
/// suspends on a continuation, and one epoll thread resumes it when the
/// socket is ready. What SwiftNIO's event loops do for async/await servers,
/// reduced to the two events a server needs; the handler's own code then
/// runs on the cooperative pool (one thread per core).
final class AsyncReactor: @unchecked Sendable {
    private let epoll: Epoll
    private let waiters = Mutex<[Int32: CheckedContinuation<Void, Never>]>([:])
    /// Descriptors already in the epoll set (re-armed with MOD, not ADD).
    private let registered = Mutex<Set<Int32>>([])

    init() throws(SystemCallError) {
        epoll = try Epoll()
        let thread = try NativeThread.start(name: "async-reactor") { [self] in run() }
        thread.detach()
    }

    /// Suspends until `fd` is readable (`writable` false) or writable, or hung up.
    func ready(_ fd: Int32, writable: Bool = false) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            // Stored before arming: the event may come at once.
            waiters.withLock { $0[fd] = continuation }
            var event = epoll_event()
            event.events = (writable ? Epoll.writable : Epoll.readable) | Epoll.peerClosed | EPOLLONESHOT.rawValue
            event.data.u64 = UInt64(UInt32(bitPattern: fd))
            let isNew = registered.withLock { $0.insert(fd).inserted }
            if epoll_ctl(epoll.fd, isNew ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event) != 0 {
                waiters.withLock { $0.removeValue(forKey: fd) }?.resume()
            }
        }
    }

    /// Closes `fd`, forgetting it first (its number may be reused at once).
    func close(_ fd: Int32) {
        registered.withLock { _ = $0.remove(fd) }
        _ = Glibc.close(fd)
    }

    private func run() {
        // The reactor runs for the process's life: its buffer is never freed.
        let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 256)
        while true {
            epoll.wait(into: events, timeoutMilliseconds: -1) { fd, _ in
                waiters.withLock { $0.removeValue(forKey: fd) }?.resume()
            }
        }
    }
}
