import CEpoll
import Glibc

/// A thin owner of one epoll instance: registration with a 64-bit tag
/// (the descriptor number, which indexes the loop's table) and waiting.
struct Epoll: @unchecked Sendable {
    let fd: Int32

    static let readable = EPOLLIN.rawValue
    static let writable = EPOLLOUT.rawValue
    static let peerClosed = EPOLLRDHUP.rawValue
    static let hangUp = EPOLLHUP.rawValue
    static let error = EPOLLERR.rawValue
    /// Report a state change once, not while it lasts: connections drain their
    /// socket on each event, which saves an `epoll_ctl` per direction change.
    static let edgeTriggered = EPOLLET.rawValue
    /// Wake one of the loops sharing a listening socket, not all of them.
    static let exclusive = EPOLLEXCLUSIVE.rawValue

    init() throws(HTTPSystemError) {
        fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw HTTPSystemError(call: "epoll_create1", code: errno) }
    }

    func add(_ descriptor: Int32, events: UInt32) throws(HTTPSystemError) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = UInt64(UInt32(bitPattern: descriptor))
        guard epoll_ctl(fd, EPOLL_CTL_ADD, descriptor, &event) == 0 else {
            throw HTTPSystemError(call: "epoll_ctl", code: errno)
        }
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) and returns how many of
    /// `events` were filled; EINTR counts as zero.
    func wait(into events: UnsafeMutableBufferPointer<epoll_event>, timeoutMilliseconds: Int32) -> Int {
        let count = epoll_wait(fd, events.baseAddress, Int32(events.count), timeoutMilliseconds)
        if count < 0 && errno != EINTR {
            // Only a bug elsewhere (a descriptor closed twice) gets here; a loop that went
            // on would spin or hang its requests, so stop loudly instead.
            fatalError("epoll_wait: \(String(cString: strerror(errno)))")
        }
        return count < 0 ? 0 : Int(count)
    }

    func close() {
        _ = Glibc.close(fd)
    }
}

/// eventfd(2), which Glibc's module does not expose.
func eventfdDescriptor() -> Int32 {
    eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
}

/// accept4(2): accepts a connection already non-blocking and close-on-exec.
func acceptNonBlocking(_ listener: Int32) -> Int32 {
    accept4(listener, nil, nil, Socket.nonBlocking | Socket.closeOnExec)
}

/// A timerfd on CLOCK_MONOTONIC, armed at absolute instants: the server's one
/// timer per loop, set to the earliest response due.
struct MonotonicTimer: Sendable {
    let fd: Int32

    init() throws(HTTPSystemError) {
        fd = timerfd_create(CLOCK_MONOTONIC, Int32(TFD_NONBLOCK | TFD_CLOEXEC))
        guard fd >= 0 else { throw HTTPSystemError(call: "timerfd_create", code: errno) }
    }

    /// Fires once at `nanoseconds` on CLOCK_MONOTONIC (0 would disarm, so never pass 0).
    func arm(at nanoseconds: UInt64) {
        var spec = itimerspec()
        spec.it_value.tv_sec = Int(nanoseconds / 1_000_000_000)
        spec.it_value.tv_nsec = Int(max(nanoseconds % 1_000_000_000, 1))
        timerfd_settime(fd, Int32(TFD_TIMER_ABSTIME), &spec, nil)
    }

    func drain() {
        var expirations: UInt64 = 0
        _ = read(fd, &expirations, 8)
    }

    func close() {
        _ = Glibc.close(fd)
    }
}

/// Nanoseconds on CLOCK_MONOTONIC, the clock the timers are armed on.
func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
}

extension Socket {
    /// `send` flag: a peer that has gone away gives EPIPE, never SIGPIPE.
    /// Read here, through the CEpoll module's <sys/socket.h>: files importing
    /// only Glibc intermittently failed to find MSG_NOSIGNAL in this target.
    static let noSignal = Int32(MSG_NOSIGNAL)
}
