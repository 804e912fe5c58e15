import Platform
import CEpoll
import Glibc
import Synchronization

/// One event loop of the async client, on a thread of its own, with its own
/// connections, keep-alive pool and deadlines.
final class ClientLoop: @unchecked Sendable {
    private let epoll: Epoll
    private let wakeup: Wakeup
    private let inbox = Mutex<[ClientRequest]>([])
    // Everything below belongs to the loop thread.
    private var connections: [ClientConnection?] = []
    private var idle: [HTTPEndpoint: [ClientConnection]] = [:]
    private var deadlines = DeadlineQueue()
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    init() throws(SystemCallError) {
        epoll = try Epoll()
        wakeup = try Wakeup()
        try epoll.add(wakeup.fd, events: Epoll.readable)
        _ = try NativeThread.start(name: "http-client") { [self] in run() }
    }

    /// Fetches `path` (keeping its body if asked); suspends until the response is complete or fails.
    func fetch(path: String, keepsBody: Bool, endpoint: HTTPEndpoint, keepAlive: Bool, timeoutSeconds: Double) async throws -> HTTPResponseSummary {
        try await withCheckedThrowingContinuation { continuation in
            let request = ClientRequest(
                path: path, keepsBody: keepsBody, endpoint: endpoint, keepAlive: keepAlive, timeoutSeconds: timeoutSeconds,
                continuation: continuation)
            let wasEmpty = inbox.withLock { inbox in
                inbox.append(request)
                return inbox.count == 1
            }
            // The loop drains the eventfd before taking the inbox, so one wakeup per batch is enough.
            if wasEmpty { wakeup.signal() }
        }
    }

    private func run() {
        // The loop runs for the process's life: its buffer is never freed.
        let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 256)
        while true {
            epoll.wait(into: events, timeoutMilliseconds: deadlines.millisecondsUntilNext(now: MonotonicClock.now())) { fd, flags in
                if fd == wakeup.fd {
                    wakeup.drain()
                    let submitted = inbox.withLock { inbox in
                        defer { inbox.removeAll(keepingCapacity: true) }
                        return inbox
                    }
                    submitted.forEach(start)
                } else if Int(fd) < connections.count, let connection = connections[Int(fd)] {
                    handle(connection, events: flags)
                }
            }
            let now = MonotonicClock.now()
            while let expired = deadlines.popExpired(now: now) {
                let request = expired.connection.request!
                fail(expired.connection, HTTPError.timedOut(request.url, seconds: request.timeoutSeconds), retryable: false)
            }
        }
    }

    /// Sends `request` on an idle keep-alive connection, or a new one.
    private func start(_ request: ClientRequest) {
        if request.keepAlive && !request.retried, let connection = idle[request.endpoint]?.popLast() {
            connection.state = .active
            begin(request, on: connection)
            return
        }
        let fd: Int32
        do {
            fd = try Socket.makeTCP(nonBlocking: true)
        } catch {
            request.continuation.resume(throwing: HTTPError.cannotConnect(request.endpoint, reason: error.reason))
            return
        }
        Socket.setNoDelay(fd)
        let status = Socket.connect(fd, to: request.endpoint.socketAddress)
        if status != 0 && errno != EINPROGRESS {
            let reason = String(cString: strerror(errno))
            close(fd)
            request.continuation.resume(throwing: HTTPError.cannotConnect(request.endpoint, reason: reason))
            return
        }
        let connection = ClientConnection(fd: fd, endpoint: request.endpoint, connecting: status != 0)
        do {
            // Edge-triggered, both directions, registered once: no epoll_ctl per state change.
            try epoll.add(fd, events: Epoll.readable | Epoll.writable | Epoll.peerClosed | Epoll.edgeTriggered)
        } catch {
            close(fd)
            request.continuation.resume(throwing: HTTPError.cannotConnect(request.endpoint, reason: error.reason))
            return
        }
        if Int(fd) >= connections.count {
            connections.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - connections.count))
        }
        connections[Int(fd)] = connection
        begin(request, on: connection)
    }

    private func begin(_ request: ClientRequest, on connection: ClientConnection) {
        connection.request = request
        connection.requestBytes = HTTPRequest.bytes(path: request.path, endpoint: request.endpoint, keepAlive: request.keepAlive)
        connection.sent = 0
        connection.parser = HTTPResponseParser(keepsBody: request.keepsBody)
        connection.generation += 1
        let deadline = MonotonicClock.now() + UInt64(request.timeoutSeconds * 1e9)
        deadlines.append(.init(deadline: deadline, connection: connection, generation: connection.generation))
        if connection.state == .active {
            send(connection)
        }
    }

    private func handle(_ connection: ClientConnection, events: UInt32) {
        let inbound = events & (Epoll.readable | Epoll.peerClosed | Epoll.hangUp | Epoll.error) != 0
        switch connection.state {
        case .closed:
            return
        case .idle:
            // The server closed a parked connection (or sent something unasked): drop it.
            if inbound { discard(connection) }
        case .connecting:
            guard events & (Epoll.writable | Epoll.hangUp | Epoll.error) != 0 else { return }
            let code = Socket.pendingError(connection.fd)
            guard code == 0 else {
                fail(connection, HTTPError.cannotConnect(connection.endpoint, reason: String(cString: strerror(code))), retryable: false)
                return
            }
            connection.state = .active
            send(connection)
            if inbound && connection.state == .active { receive(connection) }
        case .active:
            if events & Epoll.writable != 0 { send(connection) }
            if inbound && connection.state == .active { receive(connection) }
        }
    }

    private func send(_ connection: ClientConnection) {
        while connection.sent < connection.requestBytes.count {
            let count = connection.requestBytes.withUnsafeBytes {
                Glibc.send(connection.fd, $0.baseAddress! + connection.sent, $0.count - connection.sent, Socket.noSignal)
            }
            if count > 0 {
                connection.sent += count
            } else if count < 0 && errno == EINTR {
                continue
            } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                return // the rest goes on the next writable edge
            } else {
                let reason = String(cString: strerror(errno))
                fail(connection, transportError(connection, "\(reason) while sending the request"), retryable: true)
                return
            }
        }
    }

    /// Reads until the socket is empty (edge-triggered), feeding the parser.
    private func receive(_ connection: ClientConnection) {
        while connection.state == .active {
            let count = recv(connection.fd, scratch.baseAddress, scratch.count, 0)
            if count > 0 {
                do {
                    try connection.parser.consume(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                } catch {
                    fail(connection, HTTPError.response(connection.request!.url, error.what), retryable: false)
                    return
                }
                if connection.parser.isComplete {
                    complete(connection)
                    return
                }
            } else if count == 0 {
                fail(connection, transportError(connection, "connection closed by the server \(connection.parser.progress)"), retryable: true)
                return
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                return
            } else {
                let reason = String(cString: strerror(errno))
                fail(connection, transportError(connection, "\(reason) while reading the response"), retryable: true)
                return
            }
        }
    }

    private func complete(_ connection: ClientConnection) {
        let request = connection.request!
        let summary = connection.parser.summary!
        connection.request = nil
        connection.completed += 1
        if request.keepAlive && !summary.closesConnection {
            connection.state = .idle
            idle[connection.endpoint, default: []].append(connection)
        } else {
            discard(connection)
        }
        request.continuation.resume(returning: summary)
    }

    /// Fails the connection's request, or sends it again once on a fresh
    /// connection when a reused keep-alive connection broke before answering
    /// (the server may close an idle connection just as it is reused).
    private func fail(_ connection: ClientConnection, _ error: HTTPError, retryable: Bool) {
        let request = connection.request!
        connection.request = nil
        let mayRetry = retryable && connection.completed > 0 && !connection.parser.hasStarted && !request.retried
        discard(connection)
        if mayRetry {
            request.retried = true
            start(request)
        } else {
            request.continuation.resume(throwing: error)
        }
    }

    private func transportError(_ connection: ClientConnection, _ what: String) -> HTTPError {
        HTTPError.transport(connection.request!.url, what)
    }

    private func discard(_ connection: ClientConnection) {
        if connection.state == .idle, var parked = idle[connection.endpoint],
           let position = parked.firstIndex(where: { $0 === connection }) {
            parked.remove(at: position)
            idle[connection.endpoint] = parked
        }
        connection.state = .closed
        connections[Int(connection.fd)] = nil
        close(connection.fd)
    }
}
