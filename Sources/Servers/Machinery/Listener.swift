import Glibc
import Platform

/// The listening socket of a server model, on 127.0.0.1 only.
enum Listener {
    /// Binds 127.0.0.1:`port` (0: the kernel's choice) and listens with the
    /// largest backlog; `reusePort` sets SO_REUSEPORT first, so that several
    /// sockets (one per worker process) can share the port, the kernel
    /// spreading connections over them. `listening` false only binds: a
    /// port reserved for workers that bind their own sockets to it.
    static func open(port: UInt16, reusePort: Bool = false, nonBlocking: Bool = false, listening: Bool = true)
        throws(ServerError) -> (fd: Int32, port: UInt16)
    {
        let fd: Int32
        do {
            fd = try Socket.makeTCP(nonBlocking: nonBlocking)
        } catch {
            throw ServerError("cannot create a socket: \(error.reason)", fix: "check the open-file limit (ulimit -n)")
        }
        Socket.setReuseAddress(fd)
        if reusePort {
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        guard Socket.bind(fd, to: Socket.address(host: Socket.loopback, port: port)) == 0,
              !listening || listen(fd, Socket.largestBacklog) == 0, let bound = Socket.localPort(fd) else {
            let code = errno
            close(fd)
            throw ServerError(
                "cannot listen on 127.0.0.1:\(port): \(String(cString: strerror(code)))",
                fix: "choose another --port, or 0 for any free one", exitCode: code == EADDRINUSE ? .usage : .runFailed)
        }
        return (fd, bound)
    }
}
