import Glibc
import Platform

/// A connection served by one thread with blocking reads and writes, the
/// way a sync worker serves: read a request, run the handler (its wait
/// blocks the thread), write the response, and again while the client
/// keeps the connection (and the model allows it).
enum BlockingConnection {
    /// A connection idle this long is closed, so a vanished client cannot hold a thread forever.
    static let idleSeconds = 120.0

    /// Serves `fd` until the client closes it (or, with `keepAlive` false,
    /// after one response), then closes it.
    static func serve(_ fd: Int32, handler: RequestHandler, keepAlive: Bool) {
        defer { close(fd) }
        Socket.setTimeouts(fd, seconds: idleSeconds)
        Socket.setNoDelay(fd)
        var input: [UInt8] = []
        while true {
            let request = input.withUnsafeBytes { ServerRequest.parse($0) }
            guard let request else {
                let count = receive(fd, appendingTo: &input)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return }
                continue
            }
            let keep = keepAlive && request.keepAlive && request.length > 0
            let response = handler.respond(request, keepAlive: keep)
            guard sendAll(fd, response), keep else { return }
            input.removeFirst(request.length)
        }
    }

    /// One `recv` into a buffer that lives only for the call (on the stack, or
    /// a task's own allocator), appended to `input`: a connection waiting for
    /// its next request then holds no read buffer of its own. Returns recv's result.
    static func receive(_ fd: Int32, appendingTo input: inout [UInt8]) -> Int {
        withUnsafeTemporaryAllocation(byteCount: 16 * 1024, alignment: 16) { buffer in
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count > 0 { input.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
            return count
        }
    }

    /// Writes all of `bytes` (waiting for room when the socket is non-blocking); false when the peer is gone.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Socket.noSignal) }
            if count > 0 {
                sent += count
            } else if count < 0 && errno == EINTR {
                continue
            } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                guard FileDescriptor.wait(fd, for: Int16(POLLOUT), until: MonotonicClock.deadline(afterSeconds: idleSeconds)) == .ready else {
                    return false
                }
            } else {
                return false
            }
        }
        return true
    }
}
