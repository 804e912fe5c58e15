import CEpoll
import Glibc
import Platform

/// `bench-worker forkserver`: forks pool workers on request, after Python's
/// `multiprocessing` forkserver start method.
///
/// A worker forked from a process that is already loaded and initialised
/// skips exec, the dynamic loader and the runtime's start-up. Fork without
/// exec is safe here only because this process never starts a thread
/// (NOTES-swift-linux.md: never fork a threaded process): it serves one
/// request at a time, blocked in `recvmsg`, and does nothing else. The forked
/// child then becomes an ordinary pool worker on its own pipes, and may start
/// as many threads as it likes.
///
/// bench's end of the socket is fd 3. The server ends when that socket
/// closes (bench ended or stopped it); the kernel then kills the workers it
/// forked (their parent-death signal), so they end with bench too.
public enum ForkServer {
    public static let role = "forkserver"
    static let socketFD: Int32 = 3

    /// Serves until bench closes the socket; returns the exit status.
    public static func serve() -> Int32 {
        Signals.ignore(Signals.stopSignals)
        Signals.ignoreBrokenPipes()
        FileDescriptor.setCloseOnExec(socketFD)
        PoolWorker.warmUp()
        var children: Set<pid_t> = []
        var request = [UInt8](repeating: 0, count: ForkServerProtocol.requestSize + 1)
        var descriptors = [Int32](repeating: -1, count: 8)
        while true {
            var received: Int32 = 0
            let count = request.withUnsafeMutableBytes { buffer in
                descriptors.withUnsafeMutableBufferPointer { fds in
                    bench_receive_with_descriptors(socketFD, buffer.baseAddress, buffer.count, fds.baseAddress, 8, &received)
                }
            }
            if count < 0 && errno == EINTR { continue }
            // End of file or a broken socket: bench is gone.
            guard count > 0 else { return 0 }
            let fds = Array(descriptors[0..<Int(received)])
            guard count == ForkServerProtocol.requestSize,
                  let operation = ForkServerProtocol.Operation(rawValue: request[0]) else {
                fds.forEach(FileDescriptor.close)
                send(ForkServerProtocol.reply(.failed, value: Int(EPROTO)))
                continue
            }
            let argument = request.withUnsafeBytes { Int(WireFormat.int64($0, at: 1)) }
            switch operation {
            case .ping:
                fds.forEach(FileDescriptor.close)
                send(ForkServerProtocol.reply(.done))
            case .fork:
                send(fork(index: argument, descriptors: fds, children: &children))
            case .wait:
                fds.forEach(FileDescriptor.close)
                send(wait(pid_t(argument), children: &children))
            case .kill:
                fds.forEach(FileDescriptor.close)
                if children.contains(pid_t(argument)) { Glibc.kill(pid_t(argument), SIGKILL) }
                send(ForkServerProtocol.reply(.done))
            }
        }
    }

    private static func send(_ reply: [UInt8]) {
        _ = reply.withUnsafeBytes { bytes in
            bench_send_with_descriptors(socketFD, bytes.baseAddress, bytes.count, nil, 0)
        }
    }

    /// Forks one worker onto the four descriptors bench sent.
    private static func fork(index: Int, descriptors: [Int32], children: inout Set<pid_t>) -> [UInt8] {
        guard descriptors.count == 4 else {
            descriptors.forEach(FileDescriptor.close)
            return ForkServerProtocol.reply(.failed, value: Int(EBADF))
        }
        // Above every fixed number first, and the originals closed, so that no dup2
        // below can overwrite another's source, and no close can hit a fixed number.
        var moved: [Int32] = []
        var failure: Int32 = 0
        for fd in descriptors {
            do { moved.append(try FileDescriptor.raise(fd, above: 10)) } catch { failure = error.code }
        }
        defer { moved.forEach(FileDescriptor.close) }
        guard failure == 0 else { return ForkServerProtocol.reply(.failed, value: Int(failure)) }
        let server = getpid()
        let pid = bench_fork()
        if pid < 0 { return ForkServerProtocol.reply(.failed, value: Int(errno)) }
        if pid == 0 {
            // The child: its pipes on 3 and 4 (3 was the server's socket: dup2 closes it
            // here, the server keeps its own), bench's current stdout and stderr on 1 and 2.
            guard dup2(moved[0], WorkerProcess.commandFD) >= 0, dup2(moved[1], WorkerProcess.resultFD) >= 0,
                  dup2(moved[2], 1) >= 0, dup2(moved[3], 2) >= 0 else { _exit(126) }
            moved.forEach { Glibc.close($0) }
            let succeeded = PoolWorker.run(index: index, forkServer: server)
            fflush(nil)  // _exit skips stdio: what a custom workload printed must not be lost
            _exit(succeeded ? 0 : 1)
        }
        children.insert(pid)
        return ForkServerProtocol.reply(.done, value: Int(pid))
    }

    /// Collects `pid` if it has ended, with its CPU time; never blocks.
    private static func wait(_ pid: pid_t, children: inout Set<pid_t>) -> [UInt8] {
        guard children.contains(pid) else { return ForkServerProtocol.reply(.unknown) }
        var status: Int32 = 0
        var usage = rusage()
        while true {
            let result = wait4(pid, &status, WNOHANG, &usage)
            if result == pid {
                children.remove(pid)
                return ForkServerProtocol.reply(.done, status: status, usage: ResourceUsage(usage))
            }
            if result == 0 { return ForkServerProtocol.reply(.running) }
            if errno == EINTR { continue }
            children.remove(pid)
            return ForkServerProtocol.reply(.unknown)
        }
    }
}
