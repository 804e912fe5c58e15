import Glibc
import Platform

/// Bytes queued for a non-blocking socket and how far they have gone: what
/// every event loop's connection writes through, the HTTP server's and the
/// servers experiment's alike.
public struct OutputBuffer {
    private var bytes: [UInt8] = []
    /// Bytes at the front already sent.
    private var sent = 0

    /// How a `flush` ended.
    public enum Flush {
        /// Everything went; the buffer is empty.
        case drained
        /// The socket is full: the rest goes when epoll reports it writable.
        case blocked
        /// The peer is gone (reset, closed): nobody is left to read the rest.
        case failed
    }

    public init() {}

    /// Nothing is waiting to be sent.
    public var isEmpty: Bool { bytes.isEmpty }

    /// Bytes not yet sent.
    public var unsent: Int { bytes.count - sent }

    public mutating func append(contentsOf more: [UInt8]) {
        bytes.append(contentsOf: more)
    }

    /// Lets `write` append to the bytes in place (no copy of a response).
    public mutating func append(_ write: (inout [UInt8]) -> Void) {
        write(&bytes)
    }

    /// Sends what the socket takes, never raising SIGPIPE. `progressed` says
    /// whether any byte went. Once `compactingAfter` bytes at the front have
    /// gone while the socket stays full, they are dropped, so that a reader
    /// that keeps pace but never empties the buffer cannot make it grow.
    public mutating func flush(to fd: Int32, compactingAfter limit: Int = .max) -> (Flush, progressed: Bool) {
        var progressed = false
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Socket.noSignal) }
            if count > 0 {
                sent += count
                progressed = true
            } else if count < 0 && errno == EINTR {
                continue
            } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                if sent >= limit {
                    bytes.removeFirst(sent)
                    sent = 0
                }
                return (.blocked, progressed)
            } else {
                return (.failed, progressed)
            }
        }
        if !bytes.isEmpty {
            bytes.removeAll(keepingCapacity: true)
            sent = 0
        }
        return (.drained, progressed)
    }
}
