import Glibc
import Platform

/// A listening TCP socket on 127.0.0.1 that never answers: tests use it to
/// see whether bench connected to an address at all.
public final class RawListener {
    public let fd: Int32
    public let port: UInt16

    public init() throws {
        let fd = socket(AF_INET, Socket.streamType | Socket.nonBlocking, 0)
        guard Socket.bind(fd, to: Socket.address(host: Socket.loopback, port: 0)) == 0, listen(fd, 64) == 0,
              let port = Socket.localPort(fd) else {
            let code = errno
            close(fd)
            throw RawSocketError(what: "listen: \(String(cString: strerror(code)))", code: code)
        }
        self.fd = fd
        self.port = port
    }

    deinit {
        close(fd)
    }

    /// `http://127.0.0.1:<port>/`.
    public var url: String { "http://127.0.0.1:\(port)/" }

    /// Accepts (and closes) every connection made so far; returns how many.
    public func acceptPending() -> Int {
        var count = 0
        while true {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return count }
            close(client)
            count += 1
        }
    }
}
