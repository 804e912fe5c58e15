import CEpoll
import Glibc
import Platform
import Synchronization

/// bench's side of its fork server: starts it once per invocation, asks it
/// to fork workers, to collect them and to kill them.
///
/// One server serves every pool of the process; requests are serialised by a
/// lock (tests run pools from several threads at once), and each is a short
/// round trip that never blocks the server. When the server has died, the
/// pool that needed it fails with `PoolError.forkServerDied`, and the next
/// request starts a new server.
public final class ForkServerClient: @unchecked Sendable {
    private static let current = Mutex<ForkServerClient?>(nil)

    /// Seconds the running server took to start and answer its first request
    /// (spawn of bench-worker + handshake): outside every sample, and recorded
    /// in meta.json, because the server starts before the first sample that needs it.
    public let startSeconds: Double
    public let pid: pid_t
    private let socket: Int32
    private let child: ChildProcess
    /// Serialises requests; also guards `dead`.
    private let lock = Mutex<Bool>(false)
    /// How the server ended, once a failed request has collected it.
    private let ending = Mutex<ExitStatus?>(nil)

    /// The running server, started now if there is none or it died.
    public static func shared() throws -> ForkServerClient {
        try current.withLock { server in
            if let running = server, !running.isDead { return running }
            let started = try ForkServerClient()
            server = started
            return started
        }
    }

    /// The running server, if one was started and has not died.
    public static var running: ForkServerClient? {
        current.withLock { $0 }.flatMap { $0.isDead ? nil : $0 }
    }

    private var isDead: Bool { lock.withLock { $0 } }

    /// Why a sample that needed it failed, once a request has found it dead:
    /// its workers are its children, so no one is left to collect them and
    /// report their CPU time (they themselves end with bench, watching its pipe).
    var death: PoolError? {
        isDead ? PoolError.forkServerDied(pid: pid, status: ending.withLock { $0 }) : nil
    }

    private init() throws {
        let executable = try HelperExecutable.resolve()
        let start = MonotonicClock.now()
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw PoolError.system(SystemCallError("cannot create the fork server's socket", errno: errno))
        }
        let serverEnd: Int32
        do { serverEnd = try FileDescriptor.raise(ends[1], above: 10) } catch {
            FileDescriptor.close(ends[0])
            throw PoolError.system(error)
        }
        defer { FileDescriptor.close(serverEnd) }
        do {
            // Its own process group: an abort (second Ctrl-C, a hung sample) kills the group,
            // the server and everything it forked; a Ctrl-C to bench's group does not reach it.
            child = try ChildProcess(
                executable: executable, arguments: HelperExecutable.arguments([ForkServer.role]), captureStandardError: false,
                extraDescriptors: [(ForkServer.socketFD, serverEnd)], ownGroup: true, blockedSignals: Signals.stopSignals)
        } catch {
            FileDescriptor.close(ends[0])
            throw error
        }
        socket = ends[0]
        pid = child.pid
        // A parent's SIGKILL closes the socket, and the server ends; no more is needed.
        guard let reply = try? Self.exchange(socket, ForkServerProtocol.request(.ping, 0), descriptors: []),
              reply.state == .done else {
            FileDescriptor.close(socket)
            child.signal(SIGKILL)
            let exit = child.wait()
            throw PoolError.forkServerDied(pid: child.pid, status: exit.status)
        }
        startSeconds = MonotonicClock.seconds(since: start)
    }

    deinit {
        FileDescriptor.close(socket)
        _ = child.wait(until: MonotonicClock.deadline(afterSeconds: 2))
    }

    /// Stops the server (it ends when its socket closes); the next `shared()` starts a new one.
    public static func stop() {
        current.withLock { $0 = nil }
    }

    /// Forks worker `index` with fresh pipes; bench's current fd 1 and 2
    /// (a print sink, say) become the worker's.
    func fork(index: Int) throws -> WorkerProcess {
        let pipes = try WorkerProcess.Pipes()
        let reply: ForkServerProtocol.Reply
        do {
            reply = try request(.fork, index, descriptors: [pipes.command.read, pipes.results.write, 1, 2])
        } catch {
            pipes.closeAll()
            throw error
        }
        pipes.closeWorkerEnds()
        guard reply.state == .done, reply.value > 0 else {
            FileDescriptor.close(pipes.command.write)
            FileDescriptor.close(pipes.results.read)
            throw PoolError.spawnFailed(path: "the fork server (pid \(pid))", index: index, errno: Int32(reply.value))
        }
        return WorkerProcess(
            pid: pid_t(reply.value), parent: .forked(self), commandFD: pipes.command.write, resultFD: pipes.results.read)
    }

    /// SIGKILL for a worker the server has not collected yet.
    func kill(_ worker: pid_t) {
        _ = try? request(.kill, Int(worker), descriptors: [])
    }

    /// Collects `worker`, waiting until `deadline` for it to end by itself,
    /// then killing it; polled with growing pauses, as `ProcessReaper` does.
    func reap(_ worker: pid_t, deadline: UInt64) -> (status: ExitStatus, usage: ResourceUsage) {
        var pause: UInt32 = 50
        var killedAt: UInt64?
        while true {
            guard let reply = try? request(.wait, Int(worker), descriptors: []) else {
                // The server is gone, and with it any way to learn how the worker ended.
                return (.signaled(SIGKILL, coreDumped: false), .zero)
            }
            switch reply.state {
            case .done:
                return (ExitStatus(waitStatus: reply.status), reply.usage)
            case .unknown, .failed:
                return (.exited(255), .zero)
            case .running:
                let now = MonotonicClock.now()
                if killedAt == nil && now >= deadline {
                    kill(worker)
                    killedAt = now
                } else if let killedAt, now - killedAt > 5_000_000_000 {
                    return (.signaled(SIGKILL, coreDumped: false), .zero)
                }
                usleep(pause)
                pause = min(pause * 2, 5_000)
            }
        }
    }

    private func request(_ operation: ForkServerProtocol.Operation, _ argument: Int, descriptors: [Int32]) throws -> ForkServerProtocol.Reply {
        try lock.withLock { dead in
            guard !dead else { throw PoolError.forkServerDied(pid: pid, status: nil) }
            do {
                return try Self.exchange(socket, ForkServerProtocol.request(operation, argument), descriptors: descriptors)
            } catch {
                dead = true
                let status = child.wait(until: MonotonicClock.deadline(afterSeconds: 1))?.status
                ending.withLock { $0 = status }
                throw PoolError.forkServerDied(pid: pid, status: status)
            }
        }
    }

    /// One request and its reply on `socket`.
    private static func exchange(_ socket: Int32, _ request: [UInt8], descriptors: [Int32]) throws -> ForkServerProtocol.Reply {
        while true {
            let sent = request.withUnsafeBytes { bytes in
                descriptors.withUnsafeBufferPointer { fds in
                    bench_send_with_descriptors(socket, bytes.baseAddress, bytes.count, fds.baseAddress, Int32(fds.count))
                }
            }
            if sent < 0 && errno == EINTR { continue }
            guard sent == request.count else { throw SystemCallError("the fork server", errno: errno) }
            break
        }
        var buffer = [UInt8](repeating: 0, count: ForkServerProtocol.replySize + 1)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0, let reply = buffer.withUnsafeBytes({
                ForkServerProtocol.decodeReply(UnsafeRawBufferPointer(rebasing: $0[0..<count]))
            }) else { throw SystemCallError("the fork server", errno: count == 0 ? EPIPE : errno) }
            return reply
        }
    }
}
