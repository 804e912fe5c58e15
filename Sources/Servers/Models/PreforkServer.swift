import Glibc

/// `--processes` worker processes forked after the listening socket is
/// bound, all accepting on it, each serving one connection at a time and
/// closing it after one response: gunicorn's sync workers, Apache's prefork
/// MPM. A process per request in flight, so a waiting request holds a process.
public struct PreforkServer: ServerModel {
    public init() {}

    public var name: String { "prefork" }
    public var summary: String { "--processes forked workers accept on one socket, one request per connection (gunicorn sync)" }

    public func start(_ setup: ServerSetup, handler: RequestHandler) throws(ServerError) -> any RunningServer {
        let (listener, port) = try Listener.open(port: setup.port)
        do {
            let workers = try ForkedWorkers(count: setup.processes) { _ in SyncWorker.acceptForever(listener, handler: handler) }
            return RunningPrefork(port: port, listener: listener, workers: workers)
        } catch {
            close(listener)
            throw error
        }
    }
}
