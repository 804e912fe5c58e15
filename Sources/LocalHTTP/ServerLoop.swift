import Platform
import CEpoll
import Glibc
import Synchronization

/// One event loop of the server, on a thread of its own: accepts from the
/// shared listening socket, reads and parses requests, parks each response in
/// the latency queue and writes it when the timer says it is due.
///
/// Why epoll rather than Dispatch sources: one `epoll_wait` hands over a batch
/// of ready sockets and a single timerfd covers every waiting response, so
/// thousands of waiting requests cost memory, not threads, timers or
/// dispatch blocks; and the server's cost stays small beside what it serves
/// (the issue asks that it be checked against nginx).
final class ServerLoop: @unchecked Sendable {
    private let epoll: Epoll
    private let wakeup: Wakeup
    private let timer: MonotonicTimer
    /// Fires once a second: the clock of the idle and header timeouts.
    private let sweepTimer: MonotonicTimer
    /// Seconds (sweeps) since the loop started; connections note it when active.
    private var sweep = 0
    private let listener: Int32
    private let latencyNanoseconds: UInt64
    private let responses: ResponseBytes
    /// What the server answers beyond `/task/<n>`.
    private let routes: (any HTTPRoutes)?
    private let shared: ServerShared
    /// Indexed by descriptor number: the tag epoll hands back.
    private var connections: [ServerConnection?] = []
    private var queue = LatencyQueue()
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    /// Most response bytes a connection may have queued (parsed, not yet
    /// sent) before the loop stops reading it, as nginx stops reading a
    /// client that does not read its responses: a client pipelining
    /// requests without reading cannot grow the server's memory beyond
    /// about this much (plus one response and the socket's own buffers).
    static let queuedOutputCap = 4 << 20
    /// Reading resumes once the queue is down to this: half the cap, so a
    /// slow reader does not stop and start the connection on every send.
    static let resumeBelow = queuedOutputCap / 2
    /// Sent bytes at the front of `output` are dropped once they are this
    /// many, so a reader that keeps pace but never empties it cannot make it grow.
    static let compactAfter = 1 << 20

    init(
        listener: Int32, latencyNanoseconds: UInt64, responses: ResponseBytes, routes: (any HTTPRoutes)?, shared: ServerShared
    ) throws(SystemCallError) {
        self.listener = listener
        self.latencyNanoseconds = latencyNanoseconds
        self.responses = responses
        self.routes = routes
        self.shared = shared
        epoll = try Epoll()
        wakeup = try Wakeup()
        timer = try MonotonicTimer()
        sweepTimer = try MonotonicTimer()
        // Level-triggered and exclusive: a pending connection keeps waking one loop until accepted.
        try epoll.add(listener, events: Epoll.readable | Epoll.exclusive)
        try epoll.add(wakeup.fd, events: Epoll.readable)
        try epoll.add(timer.fd, events: Epoll.readable)
        try epoll.add(sweepTimer.fd, events: Epoll.readable)
        sweepTimer.fire(everySeconds: 1)
    }

    deinit {
        scratch.deallocate()
    }

    /// Asks the loop (from any thread) to look at the stop flag.
    func wake() {
        wakeup.signal()
    }

    func run() {
        Epoll.withEventBuffer { events in
            while !shared.stopRequested.load(ordering: .relaxed) {
                epoll.wait(into: events, timeoutMilliseconds: -1) { fd, flags in
                    if fd == listener {
                        acceptConnections()
                    } else if fd == timer.fd {
                        timer.drain()
                        writeDueResponses()
                    } else if fd == sweepTimer.fd {
                        sweepTimer.drain()
                        sweepConnections()
                    } else if fd == wakeup.fd {
                        wakeup.drain()
                    } else if fd >= 0, Int(fd) < connections.count, let connection = connections[Int(fd)] {
                        serve(connection, events: flags)
                    }
                }
            }
        }
        shutDown()
    }

    private func acceptConnections() {
        // A bounded batch, so one loop does not take a whole burst while the others idle.
        for _ in 0..<64 {
            let fd = acceptNonBlocking(listener)
            if fd < 0 {
                switch errno {
                case EINTR, ECONNABORTED:
                    continue
                case EMFILE, ENFILE:
                    if !shared.descriptorsExhausted.exchange(true, ordering: .relaxed) {
                        let message = "bench serve: out of file descriptors; new connections get 503 until some close (raise ulimit -n)\n"
                        _ = message.withCString { Glibc.write(2, $0, strlen($0)) }
                    }
                    if shedOneConnection() { continue }
                    return
                default:
                    return // EAGAIN: another loop took it, or the backlog is empty.
                }
            }
            Socket.setNoDelay(fd)
            let connection = ServerConnection(fd: fd, sweep: sweep)
            if Int(fd) >= connections.count {
                connections.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - connections.count))
            }
            connections[Int(fd)] = connection
            do {
                try epoll.add(fd, events: Epoll.readable | Epoll.writable | Epoll.peerClosed | Epoll.edgeTriggered)
            } catch {
                close(connection)
                continue
            }
            shared.connectionsAccepted.wrappingAdd(1, ordering: .relaxed)
        }
    }

    /// Accept failed for want of a descriptor: spends the reserve one to
    /// accept a waiting connection, answers it 503 and closes it, then takes
    /// the reserve back. True when a connection was shed and more may wait.
    private func shedOneConnection() -> Bool {
        let shed = shared.reserve.withLock { reserve -> Bool in
            if reserve >= 0 { Glibc.close(reserve) }
            let fd = acceptNonBlocking(listener)
            if fd >= 0 {
                // Read the request first if it comes within 5 ms (on loopback it follows the
                // handshake at once): closing with it unread would send a reset that makes
                // the client drop the 503 unread. A client that sends nothing costs 5 ms.
                var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&ready, 1, 5) > 0 { _ = Glibc.read(fd, scratch.baseAddress, scratch.count) }
                var bytes: [UInt8] = []
                responses.append(ServerResponse(invalid: ServerResponse.Status.serviceUnavailable.rawValue), to: &bytes)
                _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Socket.noSignal) }
                shutdown(fd, Int32(SHUT_WR))
                Glibc.close(fd)
                shared.connectionsShed.wrappingAdd(1, ordering: .relaxed)
            }
            reserve = open("/dev/null", O_RDONLY | O_CLOEXEC)
            return fd >= 0 && reserve >= 0
        }
        if !shed {
            // No reserve (another thread took the number meanwhile) or the accept failed:
            // a short pause bounds the spin of the still-readable listener to ~1% of a core.
            usleep(10_000)
        }
        return shed
    }

    /// Once a second: answers 408 to heads that have taken too long and
    /// closes connections idle for too long, so that clients that hold
    /// connections without using them cannot keep every descriptor.
    private func sweepConnections() {
        sweep += 1
        for case let connection? in connections where !connection.isClosed {
            if connection.paused {
                // Its client reads none of what is queued for it: as idle as a connection can be.
                if sweep - connection.lastActiveSweep > shared.idleTimeoutSeconds {
                    shared.connectionsTimedOut.wrappingAdd(1, ordering: .relaxed)
                    close(connection)
                }
            } else if connection.acceptsRequests && !connection.input.isEmpty {
                if sweep - connection.headStartSweep > shared.headerTimeoutSeconds {
                    connection.acceptsRequests = false
                    connection.input.removeAll()
                    shared.connectionsTimedOut.wrappingAdd(1, ordering: .relaxed)
                    write(ServerResponse(invalid: ServerResponse.Status.requestTimeout.rawValue), to: connection)
                }
            } else if connection.waiting == 0 && connection.output.isEmpty
                && sweep - connection.lastActiveSweep > shared.idleTimeoutSeconds {
                shared.connectionsTimedOut.wrappingAdd(1, ordering: .relaxed)
                close(connection)
            }
        }
    }

    private func serve(_ connection: ServerConnection, events: UInt32) {
        // A paused connection is not read: what its client sends waits in the socket.
        if !connection.paused && events & (Epoll.readable | Epoll.peerClosed | Epoll.hangUp | Epoll.error) != 0 {
            read(connection, drainingToEnd: events & (Epoll.peerClosed | Epoll.hangUp | Epoll.error) != 0)
            if connection.isClosed { return }
            parseRequests(connection)
        }
        if !connection.isClosed && events & Epoll.writable != 0 {
            flush(connection)
            resumeIfDrained(connection)
        }
    }

    /// A paused connection whose queue has drained: parses what it holds,
    /// then reads on (edge-triggered, no new event would come for what
    /// already waits in the socket).
    private func resumeIfDrained(_ connection: ServerConnection) {
        guard connection.paused, !connection.isClosed, connection.queuedBytes <= Self.resumeBelow else { return }
        connection.paused = false
        parseRequests(connection)
        guard !connection.paused, !connection.isClosed, connection.acceptsRequests else { return }
        read(connection, drainingToEnd: false)
        if !connection.isClosed { parseRequests(connection) }
    }

    /// Reads what the socket holds. Edge-triggered: a short read means the
    /// socket is empty, unless the peer also closed, when reading on finds the EOF.
    private func read(_ connection: ServerConnection, drainingToEnd: Bool) {
        while true {
            let count = Glibc.read(connection.fd, scratch.baseAddress, scratch.count)
            if count > 0 {
                if connection.acceptsRequests {
                    if connection.input.isEmpty { connection.headStartSweep = sweep }
                    connection.lastActiveSweep = sweep
                    connection.input.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                }
                if count < scratch.count && !drainingToEnd { return }
            } else if count == 0 {
                connection.peerClosed = true
                connection.acceptsRequests = false
                if connection.output.isEmpty && connection.isFinished {
                    close(connection)
                }
                return
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                return
            } else {
                close(connection) // reset by the peer: nobody is left to answer
                return
            }
        }
    }

    private func parseRequests(_ connection: ServerConnection) {
        guard !connection.input.isEmpty else { return }
        var consumed = 0
        let now = latencyNanoseconds == 0 ? 0 : MonotonicClock.now()
        while connection.acceptsRequests && consumed < connection.input.count {
            // Too much queued for a client that does not read: stop here, the rest stays in `input`.
            if connection.queuedBytes > Self.queuedOutputCap {
                connection.paused = true
                break
            }
            let parsed = connection.input.withUnsafeBytes {
                HTTPRequestParser.parse(UnsafeRawBufferPointer(rebasing: $0[consumed...]))
            }
            let response: ServerResponse
            switch parsed {
            case .incomplete:
                break
            case let .request(head):
                consumed += head.length
                response = ServerResponse(head, routes: routes)
                if response.closes { connection.acceptsRequests = false }
                respond(connection, with: response, requestedAt: now)
                continue
            case let .invalid(status):
                connection.acceptsRequests = false
                respond(connection, with: ServerResponse(invalid: status), requestedAt: now)
                continue
            }
            break
        }
        if consumed == connection.input.count || !connection.acceptsRequests {
            connection.input.removeAll(keepingCapacity: true)
        } else if consumed > 0 {
            connection.input.removeFirst(consumed)
            connection.headStartSweep = sweep
        }
    }

    private func respond(_ connection: ServerConnection, with response: ServerResponse, requestedAt now: UInt64) {
        if latencyNanoseconds == 0 {
            write(response, to: connection)
            return
        }
        let wasEmpty = queue.isEmpty
        connection.waiting += 1
        connection.waitingBytes += responses.estimatedSize(of: response)
        queue.append(PendingResponse(due: now + latencyNanoseconds, connection: connection, response: response))
        if wasEmpty {
            timer.arm(at: now + latencyNanoseconds)
        }
    }

    private func writeDueResponses() {
        let now = MonotonicClock.now()
        while let entry = queue.popDue(now: now) {
            let connection = entry.connection
            connection.waiting -= 1
            connection.waitingBytes -= responses.estimatedSize(of: entry.response)
            if !connection.isClosed {
                write(entry.response, to: connection)
                resumeIfDrained(connection)
            }
        }
        if let next = queue.nextDue {
            timer.arm(at: next)
        }
    }

    private func write(_ response: ServerResponse, to connection: ServerConnection) {
        connection.output.append { responses.append(response, to: &$0) }
        connection.lastActiveSweep = sweep
        if response.closes { connection.closeWhenFlushed = true }
        shared.responsesWritten.wrappingAdd(1, ordering: .relaxed)
        flush(connection)
    }

    /// Writes what the socket takes; the rest goes when epoll reports it writable.
    private func flush(_ connection: ServerConnection) {
        let (outcome, progressed) = connection.output.flush(to: connection.fd, compactingAfter: Self.compactAfter)
        if progressed { connection.lastActiveSweep = sweep }
        switch outcome {
        case .drained where connection.isFinished, .failed: close(connection)
        case .drained, .blocked: break
        }
    }

    private func close(_ connection: ServerConnection) {
        guard !connection.isClosed else { return }
        connection.isClosed = true
        connections[Int(connection.fd)] = nil
        _ = Glibc.close(connection.fd) // also removes it from the epoll set
    }

    private func shutDown() {
        for case let connection? in connections {
            close(connection)
        }
        queue.removeAll()
        timer.close()
        sweepTimer.close()
        wakeup.close()
        epoll.close()
    }
}
