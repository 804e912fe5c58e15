import CEpoll
import Glibc

/// The few socket calls the HTTP server and clients, the Redis client and the
/// server models share, with Glibc's C-flavoured types (enums for flags,
/// `socklen_t` sizes) translated once: a system primitive like the others here.
public enum Socket {
    public static let streamType = Int32(SOCK_STREAM.rawValue)
    public static let nonBlocking = Int32(SOCK_NONBLOCK.rawValue)
    public static let closeOnExec = Int32(SOCK_CLOEXEC.rawValue)

    /// A new IPv4 TCP socket, close-on-exec so that worker processes and the
    /// server child never inherit the runner's connections.
    public static func makeTCP(nonBlocking: Bool) throws(SystemCallError) -> Int32 {
        let fd = socket(AF_INET, streamType | closeOnExec | (nonBlocking ? Self.nonBlocking : 0), 0)
        guard fd >= 0 else { throw SystemCallError("socket", errno: errno) }
        return fd
    }

    /// Small requests and responses go out in one segment without Nagle's 40 ms wait.
    public static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    public static func setReuseAddress(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Bounds every blocking send, receive and connect on `fd`: a silent server
    /// becomes a timeout error instead of a hung thread.
    public static func setTimeouts(_ fd: Int32, seconds: Double) {
        var time = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The pending error of a socket (a non-blocking connect's outcome), 0 if none.
    public static func pendingError(_ fd: Int32) -> Int32 {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
        return code
    }

    public static func connect(_ fd: Int32, to address: sockaddr_in) -> Int32 {
        var address = address
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    public static func bind(_ fd: Int32, to address: sockaddr_in) -> Int32 {
        var address = address
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    /// The port the kernel gave a socket bound to port 0.
    public static func localPort(_ fd: Int32) -> UInt16? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return status == 0 ? UInt16(bigEndian: address.sin_port) : nil
    }

    /// `host` is an IPv4 address in network byte order.
    public static func address(host: in_addr, port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = host
        return address
    }

    public static var loopback: in_addr {
        in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
    }

    /// The largest listen backlog the kernel accepts (`net.core.somaxconn`,
    /// 4096 on these machines), else `SOMAXCONN`: thousands of clients may
    /// connect at the same instant, and an overflowing backlog turns into
    /// SYN retries that cost whole seconds (NOTES-swift-linux.md).
    public static var largestBacklog: Int32 {
        let fd = open("/proc/sys/net/core/somaxconn", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return SOMAXCONN }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0, let value = Int32(String(decoding: buffer[0..<count], as: UTF8.self).filter(\.isNumber)) else {
            return SOMAXCONN
        }
        return max(value, SOMAXCONN)
    }
}

/// accept4(2): accepts a connection already non-blocking and close-on-exec.
public func acceptNonBlocking(_ listener: Int32) -> Int32 {
    accept4(listener, nil, nil, Socket.nonBlocking | Socket.closeOnExec)
}

extension Socket {
    /// `send` flag: a peer that has gone away gives EPIPE, never SIGPIPE.
    /// Read through the CEpoll module's <sys/socket.h>: files importing only
    /// Glibc intermittently failed to find MSG_NOSIGNAL (NOTES-swift-linux.md).
    public static let noSignal = Int32(MSG_NOSIGNAL)
}
