import CEpoll
import Glibc
import LocalHTTP
import Platform
import Synchronization

/// One epoll event loop on a thread of its own, the shape of nginx's
/// workers or Node: it accepts, reads, runs the handler's computing half
/// inline (a long computation stalls every connection of the loop, which is
/// the model's weakness worth measuring), parks the request on a timer for
/// the wait (holding no thread), then writes the response.
final class EventLoop: @unchecked Sendable {
    /// A connection of the loop.
    private final class Connection {
        let fd: Int32
        var input: [UInt8] = []
        var output = OutputBuffer()
        /// Responses still waiting out `--wait-ms`.
        var waiting = 0
        /// When its last parked response is due: a later one may not leave before it.
        var lastDue: UInt64 = 0
        var peerClosed = false
        var closeWhenFlushed = false
        var isClosed = false

        init(fd: Int32) {
            self.fd = fd
        }
    }

    /// A response parked until its wait is over.
    private struct Pending {
        let due: UInt64
        let connection: Connection
        let started: RequestHandler.Started
        let keepAlive: Bool
    }

    private let epoll: Epoll
    private let wakeup: Wakeup
    private let timer: MonotonicTimer
    private let listener: Int32
    private let handler: RequestHandler
    /// Connections taken per wakeup: one when loops share the listener (nginx's
    /// `multi_accept off`), so that a burst of connects spreads over the loops
    /// instead of all landing on the first one awake.
    private let acceptBatch: Int
    private let stopRequested = Atomic<Bool>(false)
    private var connections: [Connection?] = []
    private var pending = TimeOrderedQueue<Pending> { $0.due }
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    /// `shared`: other loops accept from the same listener (each wakes alone: EPOLLEXCLUSIVE).
    init(listener: Int32, handler: RequestHandler, shared: Bool) throws(SystemCallError) {
        self.listener = listener
        self.handler = handler
        acceptBatch = shared ? 1 : 64
        epoll = try Epoll()
        wakeup = try Wakeup()
        timer = try MonotonicTimer()
        try epoll.add(listener, events: Epoll.readable | (shared ? Epoll.exclusive : 0))
        try epoll.add(wakeup.fd, events: Epoll.readable)
        try epoll.add(timer.fd, events: Epoll.readable)
    }

    deinit {
        scratch.deallocate()
    }

    /// Asks the loop to end (from any thread).
    func requestStop() {
        stopRequested.store(true, ordering: .relaxed)
        wakeup.signal()
    }

    func run() {
        Epoll.withEventBuffer { events in
            while !stopRequested.load(ordering: .relaxed) {
                epoll.wait(into: events, timeoutMilliseconds: -1) { fd, flags in
                    if fd == listener {
                        accept()
                    } else if fd == timer.fd {
                        timer.drain()
                        writeDue()
                    } else if fd == wakeup.fd {
                        wakeup.drain()
                    } else if Int(fd) < connections.count, let connection = connections[Int(fd)] {
                        serve(connection, events: flags)
                    }
                }
            }
        }
        for case let connection? in connections { close(connection) }
        [wakeup.fd, timer.fd, epoll.fd].forEach { _ = Glibc.close($0) }
    }

    private func accept() {
        for _ in 0..<acceptBatch {
            let fd = acceptNonBlocking(listener)
            guard fd >= 0 else { return } // EAGAIN (another loop took it), or out of descriptors
            Socket.setNoDelay(fd)
            if Int(fd) >= connections.count {
                connections.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - connections.count))
            }
            let connection = Connection(fd: fd)
            connections[Int(fd)] = connection
            do {
                try epoll.add(fd, events: Epoll.readable | Epoll.writable | Epoll.peerClosed | Epoll.edgeTriggered)
            } catch {
                close(connection)
            }
        }
    }

    private func serve(_ connection: Connection, events: UInt32) {
        if events & (Epoll.readable | Epoll.peerClosed | Epoll.hangUp | Epoll.error) != 0 {
            read(connection)
            if connection.isClosed { return }
            handleRequests(connection)
            // The peer's end came with (or after) its last requests: those are answered first.
            if connection.peerClosed && connection.waiting == 0 && connection.output.isEmpty { close(connection) }
            if connection.isClosed { return }
        }
        if !connection.isClosed && events & Epoll.writable != 0 { flush(connection) }
    }

    /// Edge-triggered: reads until the socket is empty.
    private func read(_ connection: Connection) {
        while true {
            let count = Glibc.read(connection.fd, scratch.baseAddress, scratch.count)
            if count > 0 {
                if !connection.closeWhenFlushed {
                    connection.input.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                }
            } else if count == 0 {
                connection.peerClosed = true
                return
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                return
            } else {
                close(connection)
                return
            }
        }
    }

    private func handleRequests(_ connection: Connection) {
        var consumed = 0
        while !connection.closeWhenFlushed, consumed < connection.input.count {
            let request = connection.input.withUnsafeBytes { ServerRequest.parse(UnsafeRawBufferPointer(rebasing: $0[consumed...])) }
            guard let request else { break }
            consumed += request.length
            let keepAlive = request.keepAlive && request.length > 0
            if !keepAlive { connection.closeWhenFlushed = true }
            let started = handler.begin(request.route)
            if handler.waits(started) || connection.waiting > 0 {
                // Behind a waiting response, even an immediate one waits its turn: responses leave in request order.
                let wait = UInt64(handler.waits(started) ? handler.waitMilliseconds : 0) * 1_000_000
                let due = max(MonotonicClock.now() + wait, connection.lastDue)
                let wasEmpty = pending.isEmpty
                connection.waiting += 1
                connection.lastDue = due
                pending.insert(Pending(due: due, connection: connection, started: started, keepAlive: keepAlive))
                if wasEmpty { timer.arm(at: max(due, 1)) }
            } else {
                write(handler.response(started, keepAlive: keepAlive), to: connection)
                if connection.isClosed { return }
            }
        }
        if connection.closeWhenFlushed || consumed == connection.input.count {
            connection.input.removeAll(keepingCapacity: true)
        } else if consumed > 0 {
            connection.input.removeFirst(consumed)
        }
    }

    private func writeDue() {
        let now = MonotonicClock.now()
        while let first = pending.first, first.due <= now {
            let entry = pending.removeFirst()
            entry.connection.waiting -= 1
            if !entry.connection.isClosed {
                write(handler.response(entry.started, keepAlive: entry.keepAlive), to: entry.connection)
            }
        }
        if let next = pending.first { timer.arm(at: next.due) }
    }

    private func write(_ bytes: [UInt8], to connection: Connection) {
        connection.output.append(contentsOf: bytes)
        flush(connection)
    }

    private func flush(_ connection: Connection) {
        switch connection.output.flush(to: connection.fd).0 {
        case .failed:
            close(connection)
        case .blocked:
            break
        case .drained:
            if connection.waiting == 0 && (connection.closeWhenFlushed || connection.peerClosed) { close(connection) }
        }
    }

    private func close(_ connection: Connection) {
        guard !connection.isClosed else { return }
        connection.isClosed = true
        connections[Int(connection.fd)] = nil
        _ = Glibc.close(connection.fd)
    }
}

/// Event loops on threads of their own, sharing one listener; stopped together.
final class EventLoopGroup: RunningServer {
    let port: UInt16
    private let listener: Int32
    private let loops: [EventLoop]
    private var threads: [NativeThread]

    init(count: Int, setup: ServerSetup, handler: RequestHandler) throws(ServerError) {
        FileLimit.raiseToHardLimit()
        (listener, port) = try Listener.open(port: setup.port, nonBlocking: true)
        var loops: [EventLoop] = []
        var threads: [NativeThread] = []
        do {
            for _ in 0..<max(1, count) {
                let loop = try EventLoop(listener: listener, handler: handler, shared: count > 1)
                loops.append(loop)
                threads.append(try NativeThread.start(name: "event-loop") { loop.run() })
            }
        } catch {
            loops.forEach { $0.requestStop() }
            threads.forEach { $0.join() }
            Glibc.close(listener)
            throw ServerError("cannot start the event loops: \(error)", fix: "check the thread and open-file limits (ulimit -u, ulimit -n)")
        }
        self.loops = loops
        self.threads = threads
    }

    func stop() {
        loops.forEach { $0.requestStop() }
        threads.forEach { $0.join() }
        threads = []
        Glibc.close(listener)
    }
}
