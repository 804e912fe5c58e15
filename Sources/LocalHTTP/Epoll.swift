import Platform
import CEpoll
import Glibc

/// A thin owner of one epoll instance: registration with a 64-bit tag
/// (the descriptor number, which indexes the loop's table) and waiting.
public struct Epoll: @unchecked Sendable {
    public let fd: Int32

    public static let readable = EPOLLIN.rawValue
    public static let writable = EPOLLOUT.rawValue
    public static let peerClosed = EPOLLRDHUP.rawValue
    public static let hangUp = EPOLLHUP.rawValue
    public static let error = EPOLLERR.rawValue
    /// Report a state change once, not while it lasts: connections drain their
    /// socket on each event, which saves an `epoll_ctl` per direction change.
    public static let edgeTriggered = EPOLLET.rawValue
    /// Wake one of the loops sharing a listening socket, not all of them.
    public static let exclusive = EPOLLEXCLUSIVE.rawValue

    public init() throws(SystemCallError) {
        fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw SystemCallError("epoll_create1", errno: errno) }
    }

    public func add(_ descriptor: Int32, events: UInt32) throws(SystemCallError) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = UInt64(UInt32(bitPattern: descriptor))
        guard epoll_ctl(fd, EPOLL_CTL_ADD, descriptor, &event) == 0 else {
            throw SystemCallError("epoll_ctl", errno: errno)
        }
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) and returns how many of
    /// `events` were filled; EINTR counts as zero.
    public func wait(into events: UnsafeMutableBufferPointer<epoll_event>, timeoutMilliseconds: Int32) -> Int {
        let count = epoll_wait(fd, events.baseAddress, Int32(events.count), timeoutMilliseconds)
        if count < 0 && errno != EINTR {
            // Only a bug elsewhere (a descriptor closed twice) gets here; a loop that went
            // on would spin or hang its requests, so stop loudly instead.
            fatalError("epoll_wait: \(String(cString: strerror(errno)))")
        }
        return count < 0 ? 0 : Int(count)
    }

    /// Waits as `wait(into:timeoutMilliseconds:)` does, then hands `body` each
    /// ready descriptor (the tag `add` gave it) with its events: the loop
    /// every event loop here runs.
    public func wait(
        into events: UnsafeMutableBufferPointer<epoll_event>, timeoutMilliseconds: Int32, forEach body: (_ fd: Int32, _ events: UInt32) -> Void
    ) {
        for index in 0..<wait(into: events, timeoutMilliseconds: timeoutMilliseconds) {
            body(Int32(truncatingIfNeeded: events[index].data.u64), events[index].events)
        }
    }

    /// Room for the events of one wait, kept for a loop's whole life: `body`
    /// runs with it, and it is freed when `body` returns.
    public static func withEventBuffer<Result>(_ body: (UnsafeMutableBufferPointer<epoll_event>) throws -> Result) rethrows -> Result {
        let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 256)
        defer { events.deallocate() }
        return try body(events)
    }

    public func close() {
        _ = Glibc.close(fd)
    }
}
