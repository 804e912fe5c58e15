import Glibc

/// `--processes` forked workers, each a `thread-pool` of `--threads`
/// threads with its poller, on the one listening socket: gunicorn's gthread
/// workers, Apache's worker MPM. Keep-alive connections wait in the pollers.
public struct PreforkThreadsServer: ServerModel {
    public init() {}

    public var name: String { "prefork-threads" }
    public var summary: String { "--processes forked workers x --threads pooled threads each, keep-alive in a poller (gunicorn gthread)" }

    /// Keeps the worker's pool alive while its threads serve; the worker ends by SIGKILL.
    private static func hold(_ pool: PolledThreadPool) -> Never {
        withExtendedLifetime(pool) {}
        while true { pause() }
    }

    public func start(_ setup: ServerSetup, handler: RequestHandler) throws(ServerError) -> any RunningServer {
        let (listener, port) = try Listener.open(port: setup.port, nonBlocking: true)
        do {
            let workers = try ForkedWorkers(count: setup.processes) { _ in
                // Threads start only here, in the forked worker.
                guard let pool = try? PolledThreadPool(listener: listener, port: port, ownsListener: false, threads: setup.threads, handler: handler) else {
                    _exit(1)
                }
                Self.hold(pool)
            }
            return RunningPrefork(port: port, listener: listener, workers: workers)
        } catch {
            close(listener)
            throw error
        }
    }
}
