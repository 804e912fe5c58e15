import Glibc
import Platform

/// Swift structured concurrency: a discarding task group with a child task
/// per connection; a task whose socket is empty suspends (`AsyncReactor`),
/// and the wait is `Task.sleep`, so thousands of connections and waiting
/// requests hold no thread. The computing half runs on the cooperative pool
/// (one thread per core), so it blocks a pool thread while it computes.
public struct AsyncServer: ServerModel {
    public init() {}

    public var name: String { "async" }
    public var summary: String { "Swift async/await: a task per connection in a task group, Task.sleep for the wait, epoll readiness" }

    public func start(_ setup: ServerSetup, handler: RequestHandler) throws(ServerError) -> any RunningServer {
        FileLimit.raiseToHardLimit()
        let (listener, port) = try Listener.open(port: setup.port, nonBlocking: true)
        let reactor: AsyncReactor
        do {
            reactor = try AsyncReactor()
        } catch {
            Glibc.close(listener)
            throw ServerError("cannot start the reactor: \(error)", fix: "check the thread and open-file limits")
        }
        let task = Task.detached {
            await withDiscardingTaskGroup { group in
                while !Task.isCancelled {
                    await reactor.ready(listener)
                    while true {
                        let fd = acceptNonBlocking(listener)
                        guard fd >= 0 else { break }
                        Socket.setNoDelay(fd)
                        group.addTask { await Self.serve(fd, reactor: reactor, handler: handler) }
                    }
                }
            }
        }
        return RunningAsyncServer(port: port, listener: listener, task: task)
    }

    static func serve(_ fd: Int32, reactor: AsyncReactor, handler: RequestHandler) async {
        defer { reactor.close(fd) }
        var input: [UInt8] = []
        while true {
            guard let request = input.withUnsafeBytes({ ServerRequest.parse($0) }) else {
                let count = BlockingConnection.receive(fd, appendingTo: &input)
                if count > 0 {
                    continue
                } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    await reactor.ready(fd)
                } else if !(count < 0 && errno == EINTR) {
                    return
                }
                continue
            }
            let keepAlive = request.keepAlive && request.length > 0
            let response = await handler.respondAsync(request, keepAlive: keepAlive)
            var sent = 0
            while sent < response.count {
                let count = response.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Socket.noSignal) }
                if count > 0 {
                    sent += count
                } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    await reactor.ready(fd, writable: true)
                } else if !(count < 0 && errno == EINTR) {
                    return
                }
            }
            guard keepAlive else { return }
            input.removeFirst(request.length)
        }
    }
}

/// The async server's handle: stopping cancels its accept loop (the server
/// process then exits, which ends its connections' tasks with it).
final class RunningAsyncServer: RunningServer {
    let port: UInt16
    private let listener: Int32
    private let task: Task<Void, Never>

    init(port: UInt16, listener: Int32, task: Task<Void, Never>) {
        self.port = port
        self.listener = listener
        self.task = task
    }

    func stop() {
        task.cancel()
        shutdown(listener, Int32(SHUT_RDWR))
    }
}
