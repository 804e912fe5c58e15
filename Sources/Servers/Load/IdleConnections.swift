import CEpoll
import Glibc
import LocalHTTP
import Platform

/// How many idle keep-alive connections a server holds: opens `count`
/// connections to it, a few hundred connecting at a time, sends one request
/// on each, and keeps open every connection that was answered and left open
/// (a server that answers `Connection: close`, or never answers because all
/// its workers are busy with other connections, holds none of those).
/// The caller measures the server's memory while they are held, then
/// `release()`s them. 127.0.0.1 only; bounded by `seconds`.
public final class IdleConnections {
    /// Connections answered and still open.
    public private(set) var held: [Int32] = []
    /// Connections refused, reset, closed by the server or unanswered in time.
    public private(set) var lost = 0

    /// Connections in the middle of connecting at once: the listen backlog is
    /// ~4,096, and a burst beyond it costs SYN retries of a second or more.
    static let batch = 256

    private final class Attempt {
        let fd: Int32
        var connected = false
        var sent = 0
        var parser = HTTPResponseParser()

        init(fd: Int32) {
            self.fd = fd
        }
    }

    public init(count: Int, port: UInt16, path: String, seconds: Double) throws(ServerError) {
        let limit = FileLimit.raiseToHardLimit()
        guard count + 64 <= limit else {
            throw ServerError(
                "holding \(count) connections needs more descriptors than ulimit -n allows (\(limit))",
                fix: "raise it (ulimit -n \(count + 64)) or ask for fewer (--connections)", exitCode: .usage)
        }
        let epoll: Epoll
        do {
            epoll = try Epoll()
        } catch {
            throw ServerError("cannot start the connection probe: \(error)", fix: "check the open-file limit")
        }
        defer { epoll.close() }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n".utf8)
        let address = Socket.address(host: Socket.loopback, port: port)
        let deadline = MonotonicClock.deadline(afterSeconds: seconds)
        var pending: [Int32: Attempt] = [:]
        var started = 0
        let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 256)
        defer { events.deallocate() }
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)

        func giveUp(_ attempt: Attempt) {
            pending.removeValue(forKey: attempt.fd)
            Glibc.close(attempt.fd)
            lost += 1
        }
        func send(_ attempt: Attempt) {
            while attempt.sent < request.count {
                let count = request.withUnsafeBytes { Glibc.send(attempt.fd, $0.baseAddress! + attempt.sent, $0.count - attempt.sent, Socket.noSignal) }
                if count > 0 { attempt.sent += count } else if count < 0 && errno == EAGAIN { return } else { return giveUp(attempt) }
            }
        }
        while (started < count || !pending.isEmpty) && MonotonicClock.now() < deadline {
            while started < count && pending.count < Self.batch {
                started += 1
                guard let fd = try? Socket.makeTCP(nonBlocking: true) else {
                    lost += 1
                    continue
                }
                let status = Socket.connect(fd, to: address)
                guard status == 0 || errno == EINPROGRESS,
                      (try? epoll.add(fd, events: Epoll.readable | Epoll.writable | Epoll.peerClosed | Epoll.edgeTriggered)) != nil else {
                    Glibc.close(fd)
                    lost += 1
                    continue
                }
                let attempt = Attempt(fd: fd)
                pending[fd] = attempt
                if status == 0 {
                    attempt.connected = true
                    send(attempt)
                }
            }
            let ready = epoll.wait(into: events, timeoutMilliseconds: 100)
            for index in 0..<ready {
                guard let attempt = pending[Int32(truncatingIfNeeded: events[index].data.u64)] else { continue }
                let flags = events[index].events
                if !attempt.connected {
                    guard flags & (Epoll.writable | Epoll.error | Epoll.hangUp) != 0 else { continue }
                    guard Socket.pendingError(attempt.fd) == 0 else {
                        giveUp(attempt)
                        continue
                    }
                    attempt.connected = true
                }
                if attempt.sent < request.count { send(attempt) }
                guard pending[attempt.fd] != nil, flags & (Epoll.readable | Epoll.peerClosed | Epoll.hangUp | Epoll.error) != 0 else { continue }
                while true {
                    let count = scratch.withUnsafeMutableBytes { recv(attempt.fd, $0.baseAddress, $0.count, 0) }
                    if count > 0 {
                        let consumed = scratch.withUnsafeBytes { bytes in
                            (try? attempt.parser.consume(UnsafeRawBufferPointer(rebasing: bytes[0..<count]))) != nil
                        }
                        guard consumed else {
                            giveUp(attempt)
                            break
                        }
                        if let summary = attempt.parser.summary {
                            pending.removeValue(forKey: attempt.fd)
                            if summary.closesConnection || summary.status != 200 {
                                Glibc.close(attempt.fd)
                                lost += 1
                            } else {
                                held.append(attempt.fd)
                            }
                            break
                        }
                    } else if count < 0 && errno == EAGAIN {
                        break
                    } else if !(count < 0 && errno == EINTR) {
                        giveUp(attempt)
                        break
                    }
                }
            }
        }
        for attempt in Array(pending.values) { giveUp(attempt) }
        lost += count - started
    }

    deinit {
        release()
    }

    /// Closes every held connection.
    public func release() {
        held.forEach { Glibc.close($0) }
        held = []
    }
}
