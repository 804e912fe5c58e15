import Foundation
import Glibc
import Workloads

/// The `http` workload's server as a child process (`bench serve --child`),
/// started once per run and stopped at its end.
///
/// A separate process, so that its CPU time never counts in the cells'
/// (`getrusage(RUSAGE_SELF)` of the runner does not see it) and a model's
/// threads never compete with it inside one process. It runs in its own
/// process group, so the Ctrl-C that asks the runner to stop after the
/// current run does not also kill the server under that run; and it stops
/// when its standard input closes, which happens however the runner ends,
/// even by SIGKILL or the watchdog's `exit`.
final class LocalServer {
    let url: String
    private let pid: pid_t
    private var control: Int32

    /// Starts a server for `options` when the matrix has `http` cells and no
    /// `--http-url` was given; nil otherwise.
    static func startIfNeeded(for plan: MatrixPlan) throws -> LocalServer? {
        guard plan.cells.contains(where: { $0.workload == HTTPWorkload.registryName }),
              plan.options.parameters.httpURL == nil
        else { return nil }
        let parameters = plan.options.parameters
        return try LocalServer(latencyMilliseconds: parameters.httpLatencyMilliseconds, bodyBytes: parameters.httpBytes)
    }

    init(latencyMilliseconds: Int, bodyBytes: Int) throws {
        // The same binary worker processes are: /proc/self/exe, or BENCH_WORKER_EXECUTABLE / the tests' override.
        let executable = WorkerExecutable.path
        let arguments = [
            executable, "serve", "--child", "--port", "0",
            "--http-latency-ms", String(latencyMilliseconds), "--http-bytes", String(bodyBytes),
        ]
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        guard pipe(&input) == 0, pipe(&output) == 0 else {
            throw Self.failure("cannot create pipes: \(String(cString: strerror(errno)))")
        }
        // The runner's ends must not leak into this or any later child (worker
        // processes): the server sees EOF only when no process holds the write end.
        _ = fcntl(input[1], F_SETFD, FD_CLOEXEC)
        _ = fcntl(output[0], F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_addclose(&actions, input[0])
        posix_spawn_file_actions_addclose(&actions, output[1])

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) } + [nil]
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            environment.forEach { free($0) }
        }
        var pid = pid_t()
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environment)
        close(input[0])
        close(output[1])
        guard status == 0 else {
            close(input[1])
            close(output[0])
            throw Self.failure("cannot start \(executable) serve: \(String(cString: strerror(status)))")
        }
        self.pid = pid
        control = input[1]
        let line = Self.readLine(output[0], timeoutMilliseconds: 10_000)
        close(output[0])
        url = line ?? ""
        guard url.hasPrefix("http://") else {
            stop()
            throw Self.failure("the local HTTP server (\(executable) serve) did not report its URL; see its message above")
        }
    }

    /// Closes the server's standard input (it stops on EOF), signals it in
    /// case it is not listening, and reaps it. Safe to call more than once.
    func stop() {
        guard control >= 0 else { return }
        close(control)
        control = -1
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<200 {
            if waitpid(pid, &status, WNOHANG) != 0 { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
    }

    deinit {
        stop()
    }

    /// One line from `fd`, waiting at most `timeoutMilliseconds` in all; nil on EOF or timeout.
    private static func readLine(_ fd: Int32, timeoutMilliseconds: Int32) -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        let deadline = MonotonicClock.now() + UInt64(timeoutMilliseconds) * 1_000_000
        while true {
            let now = MonotonicClock.now()
            guard now < deadline else { return nil }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32((deadline - now) / 1_000_000) + 1)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0, read(fd, &byte, 1) == 1 else { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }

    private static func failure(_ what: String) -> BenchError {
        .runFailed(what, fix: "try bench serve on its own to see why, or give --http-url of a server you started")
    }
}

extension MatrixPlan {
    /// The same matrix with its `http` cells pointed at `url` (cells carry
    /// their parameters, and worker processes rebuild workloads from them).
    func using(httpURL url: String) throws -> MatrixPlan {
        var options = self.options
        options.parameters.httpURL = url
        return try MatrixPlan(options)
    }

    /// Makes one request before measuring, so that a missing server or one
    /// sending other bodies is one clear error, not a failure in every cell;
    /// likewise loads the async client the async cells will use.
    func checkHTTPServer(ownServer: Bool) throws {
        guard cells.contains(where: { $0.workload == HTTPWorkload.registryName }) else { return }
        let workload = try HTTPWorkload(parameters: options.parameters)
        if cells.contains(where: { $0.workload == HTTPWorkload.registryName && $0.model == .async }) {
            do {
                try workload.checkAsyncClient()
            } catch let error as HTTPError {
                throw BenchError.runFailed(
                    error.description, fix: "build everything with swift build -c release (swift run builds only the bench binary)")
            }
        }
        do {
            try workload.checkServer()
        } catch let error as HTTPError {
            if ownServer {
                throw BenchError.runFailed(error.description, fix: "the server bench started did not answer; try bench serve on its own")
            }
            switch error.kind {
            case .connect:
                throw BenchError.runFailed(error.description, fix: "start bench serve there, or drop --http-url to let bench start its own server")
            case .response:
                throw BenchError.runFailed(error.description, fix: "match --http-bytes to the server's (bench serve --http-bytes), or drop --http-url")
            case .timeout, .transport:
                throw BenchError.runFailed(error.description, fix: "check the server at --http-url, or drop --http-url to let bench start its own")
            }
        }
    }
}
