import CEpoll
import Glibc
import LocalHTTP
import Platform
import Synchronization

/// A fixed pool of threads fed by one poller thread, gunicorn gthread's
/// shape (and Tomcat's NIO connector's): the poller accepts and watches
/// every idle keep-alive connection with epoll, and hands a connection with
/// a request waiting to the next free thread, which serves what has
/// arrived (its wait blocks that thread) and gives the connection back.
/// Idle connections therefore cost a descriptor and a little memory, not a
/// thread; a request finds a thread only while fewer than `threads` are busy.
final class PolledThreadPool: RunningServer, @unchecked Sendable {
    /// A connection's unparsed input, touched by one party at a time: the
    /// poller watches it with EPOLLONESHOT, so only one thread is ever handed it.
    private final class Connection {
        let fd: Int32
        var input: [UInt8] = []

        init(fd: Int32) {
            self.fd = fd
        }
    }

    let port: UInt16
    private let listener: Int32
    private let ownsListener: Bool
    private let handler: RequestHandler
    /// Connections taken per wakeup of the poller: one where pools of several
    /// processes share the listener, so that connections spread over them.
    private let acceptBatch: Int
    private let epoll: Epoll
    private let wakeup: Wakeup
    private let connections = Mutex<[Int32: Connection]>([:])
    private let queue = LockedCondition()
    private var ready: [Int32] = []
    private var stopping = false
    private let stopRequested = Atomic<Bool>(false)
    private var threads: [NativeThread] = []

    /// Serves `listener` (non-blocking, bound to `port`); `ownsListener`: closed on stop
    /// (only a pool that shares the listener with other processes does not own it).
    init(listener: Int32, port: UInt16, ownsListener: Bool, threads count: Int, handler: RequestHandler) throws(ServerError) {
        self.listener = listener
        acceptBatch = ownsListener ? 64 : 1
        self.port = port
        self.ownsListener = ownsListener
        self.handler = handler
        do {
            epoll = try Epoll()
            wakeup = try Wakeup()
            try epoll.add(listener, events: Epoll.readable | Epoll.exclusive)
            try epoll.add(wakeup.fd, events: Epoll.readable)
        } catch {
            throw ServerError("cannot start the poller: \(error)", fix: "check the open-file limit (ulimit -n)")
        }
        do {
            for _ in 0..<max(1, count) {
                threads.append(try NativeThread.start(name: "pool-worker") { [self] in work() })
            }
            threads.append(try NativeThread.start(name: "poller") { [self] in poll() })
        } catch {
            stop()
            throw ServerError("cannot start \(count) threads: \(error)", fix: "ask for fewer --threads, or raise ulimit -u")
        }
    }

    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        wakeup.signal()
        queue.lock()
        stopping = true
        queue.broadcast()
        queue.unlock()
        threads.forEach { $0.join() }
        threads = []
        connections.withLock { table in
            table.values.forEach { Glibc.close($0.fd) }
            table.removeAll()
        }
        if ownsListener { Glibc.close(listener) }
    }

    private func poll() {
        Epoll.withEventBuffer { events in
            while !stopRequested.load(ordering: .relaxed) {
                var handed: [Int32] = []
                epoll.wait(into: events, timeoutMilliseconds: -1) { fd, _ in
                    if fd == listener {
                        accept()
                    } else if fd != wakeup.fd {
                        handed.append(fd)
                    } else {
                        wakeup.drain()
                    }
                }
                if !handed.isEmpty {
                    queue.lock()
                    ready += handed
                    handed.count == 1 ? queue.signal() : queue.broadcast()
                    queue.unlock()
                }
            }
        }
    }

    private func accept() {
        for _ in 0..<acceptBatch {
            let fd = acceptNonBlocking(listener)
            guard fd >= 0 else { return }
            Socket.setNoDelay(fd)
            connections.withLock { $0[fd] = Connection(fd: fd) }
            if !watch(fd, operation: EPOLL_CTL_ADD) { drop(fd) }
        }
    }

    /// Watches `fd` for its next request, once.
    private func watch(_ fd: Int32, operation: Int32) -> Bool {
        var event = epoll_event()
        event.events = Epoll.readable | Epoll.peerClosed | EPOLLONESHOT.rawValue
        event.data.u64 = UInt64(UInt32(bitPattern: fd))
        return epoll_ctl(epoll.fd, operation, fd, &event) == 0
    }

    private func drop(_ fd: Int32) {
        connections.withLock { _ = $0.removeValue(forKey: fd) }
        Glibc.close(fd)
    }

    private func work() {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
        defer { scratch.deallocate() }
        while true {
            queue.lock()
            while ready.isEmpty && !stopping { queue.wait() }
            if stopping {
                queue.unlock()
                return
            }
            let fd = ready.removeFirst()
            queue.unlock()
            guard let connection = connections.withLock({ $0[fd] }) else { continue }
            if serve(connection, scratch: scratch) {
                if !watch(fd, operation: EPOLL_CTL_MOD) { drop(fd) }
            } else {
                drop(fd)
            }
        }
    }

    /// Reads what has arrived and answers every complete request; false when the connection is over.
    private func serve(_ connection: Connection, scratch: UnsafeMutableRawBufferPointer) -> Bool {
        var open = true
        while true {
            let count = recv(connection.fd, scratch.baseAddress, scratch.count, Int32(MSG_DONTWAIT))
            if count > 0 {
                connection.input.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                if count < scratch.count { break }
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                open = count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
                break
            }
        }
        while let request = connection.input.withUnsafeBytes({ ServerRequest.parse($0) }) {
            let keepAlive = request.keepAlive && request.length > 0
            guard BlockingConnection.sendAll(connection.fd, handler.respond(request, keepAlive: keepAlive)), keepAlive else { return false }
            connection.input.removeFirst(request.length)
        }
        return open
    }
}
