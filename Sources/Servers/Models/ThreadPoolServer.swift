import Glibc

/// A fixed pool of `--threads` threads fed by a poller (gthread's shape):
/// idle keep-alive connections wait in epoll, not on a thread.
public struct ThreadPoolServer: ServerModel {
    public init() {}

    public var name: String { "thread-pool" }
    public var summary: String { "a fixed pool of --threads threads fed by an epoll poller; idle keep-alive connections hold no thread" }

    public func start(_ setup: ServerSetup, handler: RequestHandler) throws(ServerError) -> any RunningServer {
        let (listener, port) = try Listener.open(port: setup.port, nonBlocking: true)
        do {
            return try PolledThreadPool(listener: listener, port: port, ownsListener: true, threads: setup.threads, handler: handler)
        } catch {
            close(listener)
            throw error
        }
    }
}
