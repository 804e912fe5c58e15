import Glibc
import Platform

/// One way of serving HTTP requests concurrently: thread per connection, a
/// thread pool, prefork processes, an event loop... `bench experiment servers`
/// puts each under the same load with the same handler (`RequestHandler`).
///
/// A model runs inside a server process of its own (`bench-worker server
/// NAME`), never inside bench: its memory is then its own to measure, its
/// CPU never competes with bench's threads inside one process, and the
/// prefork models may `fork()`, which only a process that has started no
/// thread may do. Adding a model = one file + one line in `ServerModelRegistry`.
public protocol ServerModel: Sendable {
    /// e.g. `thread-pool`; Python's models are named `python-<name>`.
    var name: String { get }
    /// One line for `bench experiment servers --help`.
    var summary: String { get }
    /// Binds 127.0.0.1:`setup.port` (0: the kernel's choice) and starts
    /// serving; returns once connections are answered.
    func start(_ setup: ServerSetup, handler: RequestHandler) throws(ServerError) -> any RunningServer
}

/// A started model, serving until stopped.
public protocol RunningServer: AnyObject {
    /// The port it listens on.
    var port: UInt16 { get }
    /// Stops serving; worker processes are killed and reaped before it returns.
    func stop()
}

/// How a server model is set up: where it listens, its processes and
/// threads, and what its handler does per request.
public struct ServerSetup: Sendable {
    /// 0: any free port, chosen by the kernel.
    public var port: UInt16 = 0
    /// Worker processes of the prefork models.
    public var processes = 2
    /// Threads of the thread-pool models (per process for prefork-threads).
    public var threads = 8
    /// Event-loop threads of the per-core models.
    public var loops = ServerSetup.onlineCores
    public var cpuMicroseconds = 0
    public var waitMilliseconds = 0
    public var resultBytes = 64
    /// Picoseconds per xor step (0: measured by the server process itself).
    public var iterationPicoseconds = 0
    /// `/count` increments a counter in memory shared by every process of
    /// the server (the fix) rather than each process's own global (the pitfall).
    public var sharedCounter = false

    public init() {}

    public static var onlineCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// A server model that could not start (port in use, out of threads).
public struct ServerError: ReportableError {
    public let what: String
    public let fix: String
    public let exitCode: ExitCode

    public init(_ what: String, fix: String, exitCode: ExitCode = .runFailed) {
        self.what = what
        self.fix = fix
        self.exitCode = exitCode
    }
}
