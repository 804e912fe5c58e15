import Platform
import Glibc

/// An eventfd: the way another thread wakes a loop sleeping in `epoll_wait`.
public struct Wakeup: Sendable {
    public let fd: Int32

    public init() throws(SystemCallError) {
        fd = eventfdDescriptor()
        guard fd >= 0 else { throw SystemCallError("eventfd", errno: errno) }
    }

    public func signal() {
        var one: UInt64 = 1
        _ = write(fd, &one, 8)
    }

    /// Clears the counter after the loop has seen the wakeup.
    public func drain() {
        var value: UInt64 = 0
        _ = read(fd, &value, 8)
    }

    public func close() {
        _ = Glibc.close(fd)
    }
}
