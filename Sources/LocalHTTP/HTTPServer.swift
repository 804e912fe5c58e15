import Platform
import Glibc
import Synchronization

/// The local HTTP/1.1 server of the `http` workload: 127.0.0.1 only, every
/// response sent `latencyMilliseconds` after its request was read (simulated
/// network and server time), bodies of `bodyBytes` bytes that clients can
/// verify (`HTTPBody`), and whatever its route hook serves (`HTTPRoutes`: the
/// `crawl` workload's site). Keep-alive and `Connection: close` are both honoured.
///
/// A few event-loop threads (one per core by default) share one listening
/// socket; waiting requests hold no thread (see `ServerLoop`).
public final class HTTPServer: Sendable {
    /// How the server answers, and where it listens. The values of the
    /// workloads' servers come from their declared parameters: Workloads
    /// extends this with an initializer whose defaults are those.
    public struct Configuration: Sendable {
        public var latencyMilliseconds: Int
        public var bodyBytes: Int
        /// 0: any free port, chosen by the kernel.
        public var port: UInt16
        /// Event-loop threads; nil: one per online core.
        public var loops: Int?
        /// A connection with no request in flight is closed after this many
        /// seconds (give or take one), so idle clients cannot hold every
        /// descriptor. Longer than any pause between two requests of a sample.
        public var idleTimeoutSeconds: Int
        /// A request head that has not arrived in full after this many
        /// seconds is answered 408 and its connection closed.
        public var headerTimeoutSeconds: Int
        /// What it answers beyond `/task/<n>` (a workload's site); nil: nothing.
        public var routes: (any HTTPRoutes)?

        /// The server's own defaults: idle and head timeouts, not a workload's business.
        public static let defaultIdleTimeoutSeconds = 30
        public static let defaultHeaderTimeoutSeconds = 10

        /// Every value a workload decides is given: `routes` too (nil for none),
        /// so that a call without it means the workloads' initializer.
        public init(
            latencyMilliseconds: Int, bodyBytes: Int, port: UInt16 = 0, loops: Int? = nil,
            idleTimeoutSeconds: Int = defaultIdleTimeoutSeconds, headerTimeoutSeconds: Int = defaultHeaderTimeoutSeconds,
            routes: (any HTTPRoutes)?
        ) {
            self.latencyMilliseconds = latencyMilliseconds
            self.bodyBytes = bodyBytes
            self.port = port
            self.loops = loops
            self.idleTimeoutSeconds = idleTimeoutSeconds
            self.headerTimeoutSeconds = headerTimeoutSeconds
            self.routes = routes
        }
    }

    public let configuration: Configuration
    /// The port it listens on (the kernel's choice when the configuration said 0).
    public let port: UInt16
    private let listener: Int32
    private let loops: [ServerLoop]
    private let threads: Mutex<[NativeThread]?>
    private let shared: ServerShared

    /// Binds, listens and starts the loops; the server answers once this returns.
    public init(_ configuration: Configuration) throws(BenchError) {
        guard configuration.latencyMilliseconds >= 0, configuration.bodyBytes >= 0 else {
            throw BenchError.usage(
                "the server needs a latency and a body size of 0 or more", fix: "e.g. --http-latency-ms 10 --http-bytes 1024")
        }
        self.configuration = configuration
        try Self.checkDescriptorLimit(loops: configuration.loops)
        shared = ServerShared(
            idleTimeoutSeconds: max(1, configuration.idleTimeoutSeconds), headerTimeoutSeconds: max(1, configuration.headerTimeoutSeconds))
        let listener: Int32
        do {
            listener = try Socket.makeTCP(nonBlocking: true)
        } catch {
            throw BenchError.runFailed("cannot create the server socket: \(error.reason)", fix: "check the open-file limit (ulimit -n)")
        }
        Socket.setReuseAddress(listener)
        guard Socket.bind(listener, to: Socket.address(host: Socket.loopback, port: configuration.port)) == 0 else {
            let reason = String(cString: strerror(errno))
            close(listener)
            throw BenchError.runFailed("cannot listen on 127.0.0.1:\(configuration.port): \(reason)", fix: "choose another --port, or 0 for any free one")
        }
        guard listen(listener, Socket.largestBacklog) == 0, let port = Socket.localPort(listener) else {
            let reason = String(cString: strerror(errno))
            close(listener)
            throw BenchError.runFailed("cannot listen on 127.0.0.1:\(configuration.port): \(reason)", fix: "choose another --port, or 0 for any free one")
        }
        self.listener = listener
        self.port = port

        let count = max(1, configuration.loops ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let responses = ResponseBytes(
            bodyBytes: configuration.bodyBytes,
            errorText: "bench serve answers GET /task/<n> (n = 0, 1, 2, ...)" + (configuration.routes.map { ", and \($0.summary)" } ?? "") + "\n")
        let latency = UInt64(configuration.latencyMilliseconds) * 1_000_000
        var loops: [ServerLoop] = []
        var threads: [NativeThread] = []
        do {
            for _ in 0..<count {
                let loop = try ServerLoop(
                    listener: listener, latencyNanoseconds: latency, responses: responses, routes: configuration.routes, shared: shared)
                loops.append(loop)
                threads.append(try NativeThread.start(name: "http-server") { loop.run() })
            }
        } catch {
            shared.stopRequested.store(true, ordering: .relaxed)
            loops.forEach { $0.wake() }
            threads.forEach { $0.join() }
            close(listener)
            throw BenchError.runFailed("cannot start the server: \(error)", fix: "check the thread and open-file limits (ulimit -u, ulimit -n)")
        }
        self.loops = loops
        self.threads = Mutex(threads)
    }

    /// Fewest connections the server must be able to hold to start (one descriptor each).
    public static let minimumConnections = 16

    /// Refuses to start a server that could hold only a handful of
    /// connections (it would answer 503 to nearly every client): the open-file
    /// limit, raised to its hard limit, must leave room for the server's own
    /// descriptors (4 per loop, the listener, the reserve, a stop pipe) and
    /// `minimumConnections`. Call before anything else is opened.
    public static func checkDescriptorLimit(loops: Int?) throws(BenchError) {
        let limit = FileLimit.raiseToHardLimit()
        let count = max(1, loops ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let own = 4 * count + 4
        guard let left = FileLimit.descriptorsLeft(), left < own + minimumConnections else { return }
        throw BenchError.runFailed(
            "the server could hold only \(max(left - own, 0)) connections at once: the open-file limit (ulimit -n) is \(limit)",
            fix: "raise it, e.g. ulimit -n 1024, and start again")
    }

    deinit {
        stop()
    }

    /// `http://127.0.0.1:<port>/`
    public var url: String { endpoint.url }

    public var endpoint: HTTPEndpoint { HTTPEndpoint(port: port) }

    /// Responses written so far (each request gets exactly one).
    public var responsesWritten: Int { shared.responsesWritten.load(ordering: .relaxed) }

    /// Connections accepted so far.
    public var connectionsAccepted: Int { shared.connectionsAccepted.load(ordering: .relaxed) }

    /// Connections answered 503 because no descriptor was free.
    public var connectionsShed: Int { shared.connectionsShed.load(ordering: .relaxed) }

    /// Connections closed for idling or for a request head that never ended.
    public var connectionsTimedOut: Int { shared.connectionsTimedOut.load(ordering: .relaxed) }

    /// Stops accepting, closes every connection (waiting responses are dropped)
    /// and joins the loops. Safe to call more than once, from any thread.
    public func stop() {
        guard let running = threads.withLock({ threads -> [NativeThread]? in
            defer { threads = nil }
            return threads
        }) else { return }
        shared.stopRequested.store(true, ordering: .relaxed)
        loops.forEach { $0.wake() }
        running.forEach { $0.join() }
        close(listener)
    }
}
