import CEpoll
import Glibc
import LocalHTTP
import Platform

/// bench's open-loop load generator: requests at a fixed offered rate to a
/// server on 127.0.0.1, each timed from its *intended* send time, as wrk2
/// does. A closed-loop generator (wrk, or any client that sends the next
/// request when the last answers) stops sending while the server stalls, so
/// the requests that would have queued behind the stall are never sent and
/// never timed: coordinated omission. Here request i is due at
/// start + i / rate whatever happened before; one that finds no free
/// connection waits for one (up to `connections`, opened as needed), and its
/// latency still runs from when it was due.
///
/// One thread, one epoll set; bounded by `requests` and a deadline.
public struct OpenLoopGenerator {
    /// What to send, how fast, for how long.
    public struct Plan: Sendable {
        public var port: UInt16
        /// Offered requests per second.
        public var rate: Double
        public var seconds: Double
        /// The most connections open at once.
        public var connections: Int
        /// A request unanswered this long after it was due is an error (a timeout).
        public var timeoutSeconds: Double
        /// The path of request `index`, e.g. `/task/<index % 64>`.
        public var path: @Sendable (Int) -> String
        /// Whether a complete response to request `index` is right (status, body digest).
        public var verify: @Sendable (Int, HTTPResponseSummary) -> Bool

        public init(
            port: UInt16, rate: Double, seconds: Double, connections: Int = 1000, timeoutSeconds: Double = 10,
            path: @escaping @Sendable (Int) -> String, verify: @escaping @Sendable (Int, HTTPResponseSummary) -> Bool = { $1.status == 200 }
        ) {
            self.port = port
            self.rate = rate
            self.seconds = seconds
            self.connections = connections
            self.timeoutSeconds = timeoutSeconds
            self.path = path
            self.verify = verify
        }

        public var requests: Int { max(1, Int((rate * seconds).rounded())) }
    }

    /// What one run measured.
    public struct Outcome: Sendable {
        public let offeredRate: Double
        /// Requests answered right.
        public let completed: Int
        /// Wrong answers, broken connections, failed connects, timeouts.
        public let errors: Int
        /// Requests answered right per second from the start to when the last one was
        /// actually sent (at least the schedule's span): a generator that fell behind
        /// sends over a longer span, and its achieved rate says so.
        public let achievedRate: Double
        /// Latency from the intended send time, in seconds, sorted; unanswered requests excluded (they are errors).
        public let latencies: [Double]
        /// How late the generator itself sent requests that had a connection free (its own lag, p99, seconds).
        public let sendLagP99: Double
        /// The most connections it had open at once.
        public let peakConnections: Int

        /// The `p` quantile (0...1) of the latencies counting every error as slower than any
        /// answer; nil when that quantile falls on an error (its latency is unknown).
        public func latency(_ p: Double) -> Double? {
            let total = latencies.count + errors
            guard total > 0 else { return nil }
            let rank = min(total - 1, max(0, Int((p * Double(total)).rounded(.up)) - 1))
            return rank < latencies.count ? latencies[rank] : nil
        }

        /// Whether the generator itself kept the schedule: its p99 send lag under 5 ms.
        public var keptSchedule: Bool { sendLagP99 < 0.005 }
    }

    private final class Connection {
        let fd: Int32
        var connecting = true
        var request = -1
        var bytes: [UInt8] = []
        var sent = 0
        var parser = HTTPResponseParser()

        init(fd: Int32) {
            self.fd = fd
        }
    }

    public let plan: Plan

    public init(_ plan: Plan) throws(ServerError) {
        guard plan.rate > 0, plan.seconds > 0, plan.connections >= 1, plan.timeoutSeconds > 0 else {
            throw ServerError("the open-loop generator needs a rate, a duration, connections and a timeout above 0", fix: "e.g. --rate 1000", exitCode: .usage)
        }
        guard plan.rate <= Self.maximumRate else {
            throw ServerError(
                "an offered rate of \(Int(plan.rate)) req/s is above what the open-loop generator can send on one thread (\(Int(Self.maximumRate)))",
                fix: "offer at most \(Int(Self.maximumRate)) req/s; for saturation use wrk (closed loop)", exitCode: .usage)
        }
        let limit = FileLimit.raiseToHardLimit()
        guard plan.connections + 64 <= limit else {
            throw ServerError(
                "\(plan.connections) connections need more descriptors than ulimit -n allows (\(limit))",
                fix: "raise it (ulimit -n \(plan.connections + 64)) or ask for fewer connections", exitCode: .usage)
        }
        self.plan = plan
    }

    /// A ceiling no run is let past: a loopback request costs this thread at
    /// least ~10 µs of system calls, so more than 100,000 a second cannot be
    /// sent on time; runs below it still report whether they kept the schedule.
    public static let maximumRate = 100_000.0

    public func run() throws(ServerError) -> Outcome {
        let epoll: Epoll
        let timer: MonotonicTimer
        do {
            epoll = try Epoll()
            timer = try MonotonicTimer()
            try epoll.add(timer.fd, events: Epoll.readable)
        } catch {
            throw ServerError("cannot start the load generator: \(error)", fix: "check the open-file limit")
        }
        defer {
            timer.close()
            epoll.close()
        }
        let total = plan.requests
        let interval = 1e9 / plan.rate
        let start = MonotonicClock.now() + 1_000_000
        let timeout = UInt64(plan.timeoutSeconds * 1e9)
        let deadline = start + UInt64(plan.seconds * 1e9) + timeout
        func due(_ index: Int) -> UInt64 { start + UInt64(Double(index) * interval) }

        var latencies: [Double] = []
        latencies.reserveCapacity(total)
        var lags: [Double] = []
        var errors = 0
        var next = 0 // the next request to become due
        var waiting: [Int] = [] // due, with no connection free yet (FIFO)
        var waitingHead = 0
        var idle: [Connection] = []
        var table: [Connection?] = []
        var open = 0
        var peak = 0
        var finished = 0
        var lastSend = start
        let address = Socket.address(host: Socket.loopback, port: plan.port)
        let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 256)
        defer { events.deallocate() }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { scratch.deallocate() }

        func close(_ connection: Connection) {
            table[Int(connection.fd)] = nil
            Glibc.close(connection.fd)
            open -= 1
        }
        func fail(_ connection: Connection) {
            if connection.request >= 0 {
                errors += 1
                finished += 1
            }
            close(connection)
        }
        func begin(_ index: Int, on connection: Connection, now: UInt64) {
            connection.request = index
            connection.bytes = Array("GET \(plan.path(index)) HTTP/1.1\r\nHost: 127.0.0.1:\(plan.port)\r\n\r\n".utf8)
            connection.sent = 0
            connection.parser = HTTPResponseParser()
            if !connection.connecting { send(connection) }
        }
        func send(_ connection: Connection) {
            while connection.sent < connection.bytes.count {
                let count = connection.bytes.withUnsafeBytes {
                    Glibc.send(connection.fd, $0.baseAddress! + connection.sent, $0.count - connection.sent, Socket.noSignal)
                }
                if count > 0 {
                    connection.sent += count
                } else if count < 0 && (errno == EAGAIN || errno == EINTR) {
                    return
                } else {
                    fail(connection)
                    return
                }
            }
        }
        /// A connection for request `index`: an idle one, else a new one within the cap.
        func dispatch(_ index: Int, now: UInt64) -> Bool {
            if let connection = idle.popLast() {
                begin(index, on: connection, now: now)
                return true
            }
            guard open < plan.connections, let fd = try? Socket.makeTCP(nonBlocking: true) else { return false }
            Socket.setNoDelay(fd)
            let status = Socket.connect(fd, to: address)
            guard status == 0 || errno == EINPROGRESS, (try? epoll.add(fd, events: Epoll.readable | Epoll.writable | Epoll.peerClosed | Epoll.edgeTriggered)) != nil else {
                Glibc.close(fd)
                errors += 1
                finished += 1
                return true
            }
            let connection = Connection(fd: fd)
            connection.connecting = status != 0
            if Int(fd) >= table.count { table.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - table.count)) }
            table[Int(fd)] = connection
            open += 1
            peak = max(peak, open)
            begin(index, on: connection, now: now)
            return true
        }
        func receive(_ connection: Connection, now: UInt64) {
            while true {
                let count = recv(connection.fd, scratch.baseAddress, scratch.count, 0)
                if count > 0 {
                    do {
                        try connection.parser.consume(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                    } catch {
                        fail(connection)
                        return
                    }
                    if connection.parser.isComplete, let summary = connection.parser.summary {
                        let index = connection.request
                        connection.request = -1
                        finished += 1
                        if plan.verify(index, summary) {
                            latencies.append(Double(now - min(now, due(index))) / 1e9)
                        } else {
                            errors += 1
                        }
                        if summary.closesConnection { close(connection) } else { idle.append(connection) }
                        return
                    }
                } else if count < 0 && errno == EINTR {
                    continue
                } else if count < 0 && errno == EAGAIN {
                    return
                } else {
                    fail(connection) // closed or reset before its answer
                    return
                }
            }
        }

        while finished < total {
            var now = MonotonicClock.now()
            if now >= deadline { break }
            // Requests now due: to a free connection at once, else in line.
            let firstNew = next
            while next < total, due(next) <= now {
                waiting.append(next)
                next += 1
            }
            while waitingHead < waiting.count {
                let index = waiting[waitingHead]
                guard dispatch(index, now: now) else { break }
                // Sent as soon as it fell due, with a connection free: any lateness is the generator's own.
                if index >= firstNew { lags.append(Double(now - due(index)) / 1e9) }
                lastSend = max(lastSend, now)
                waitingHead += 1
            }
            if waitingHead == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                waitingHead = 0
            }
            // The next due time on a timerfd (nanoseconds, not epoll_wait's milliseconds, and no spinning).
            if next < total { timer.arm(at: due(next)) }
            let count = epoll.wait(into: events, timeoutMilliseconds: next < total ? 1_000 : 10)
            now = MonotonicClock.now()
            for index in 0..<count {
                let fd = Int(events[index].data.u64)
                if fd == Int(timer.fd) {
                    timer.drain()
                    continue
                }
                guard fd < table.count, let connection = table[fd] else { continue }
                let flags = events[index].events
                if connection.connecting {
                    guard flags & (Epoll.writable | Epoll.error | Epoll.hangUp) != 0 else { continue }
                    guard Socket.pendingError(connection.fd) == 0 else {
                        fail(connection)
                        continue
                    }
                    connection.connecting = false
                }
                if flags & Epoll.writable != 0 && connection.request >= 0 { send(connection) }
                guard table[fd] != nil else { continue }
                if flags & (Epoll.readable | Epoll.peerClosed | Epoll.hangUp | Epoll.error) != 0 {
                    if connection.request >= 0 {
                        receive(connection, now: now)
                    } else {
                        // An idle connection the server closed (or wrote to unasked): drop it.
                        idle.removeAll { $0 === connection }
                        close(connection)
                    }
                }
            }
        }
        // Whatever is left unanswered (or never sent) at the deadline timed out.
        errors += total - finished
        for case let connection? in table { Glibc.close(connection.fd) }
        latencies.sort()
        lags.sort()
        let span = max(Double(total) / plan.rate, Double(lastSend - start) / 1e9 + 1 / plan.rate)
        return Outcome(
            offeredRate: plan.rate, completed: latencies.count, errors: errors, achievedRate: Double(latencies.count) / span,
            latencies: latencies, sendLagP99: lags.isEmpty ? 0 : lags[min(lags.count - 1, Int(Double(lags.count) * 0.99))],
            peakConnections: peak)
    }
}
