import CEpoll
import Glibc
import Platform
import Synchronization

/// A thread per connection, started as the connection is accepted and
/// ended when it closes: Python's ThreadingMixIn, Apache's worker MPM without
/// a limit. Each idle keep-alive connection holds a thread (its stack, its
/// kernel task), which is what the connection-capacity measurement shows.
public struct ThreadPerConnectionServer: ServerModel {
    public init() {}

    public var name: String { "thread-per-connection" }
    public var summary: String { "an acceptor thread starts a thread per connection, which blocks on it until it closes" }

    /// Stack of each connection's thread: the handler needs little, and a small stack is what a server sets.
    static let stackBytes = 128 * 1024

    public func start(_ setup: ServerSetup, handler: RequestHandler) throws(ServerError) -> any RunningServer {
        FileLimit.raiseToHardLimit()
        let (listener, port) = try Listener.open(port: setup.port)
        let server = RunningThreadPerConnection(port: port, listener: listener)
        do {
            let acceptor = try NativeThread.start(name: "acceptor") {
                while !server.stopRequested.load(ordering: .relaxed) {
                    let fd = accept4(listener, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
                    guard fd >= 0 else {
                        if errno == EMFILE || errno == ENFILE { usleep(10_000) }
                        continue
                    }
                    do {
                        try NativeThread.start(name: "connection", stackBytes: Self.stackBytes) {
                            BlockingConnection.serve(fd, handler: handler, keepAlive: true)
                        }.detach()
                    } catch {
                        close(fd) // out of threads: the client sees the connection closed
                    }
                }
            }
            server.acceptor = acceptor
        } catch {
            close(listener)
            throw ServerError("cannot start the acceptor thread: \(error)", fix: "check the thread limit (ulimit -u)")
        }
        return server
    }
}

/// The thread-per-connection server's handle: stop ends the acceptor; the
/// connections' threads end with the server process.
final class RunningThreadPerConnection: RunningServer, @unchecked Sendable {
    let port: UInt16
    let listener: Int32
    let stopRequested = Atomic<Bool>(false)
    var acceptor: NativeThread?

    init(port: UInt16, listener: Int32) {
        self.port = port
        self.listener = listener
    }

    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        shutdown(listener, Int32(SHUT_RDWR)) // wakes the blocked accept
        acceptor?.join()
        acceptor = nil
        close(listener)
    }
}
