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
    private let child: ChildProcess
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
        // Close-on-exec pipes (made atomically): the runner's ends must leak into no other
        // child, or the server would not see EOF on its stdin when the runner ends.
        let input: (read: Int32, write: Int32)
        let output: (read: Int32, write: Int32)
        do {
            input = try FileDescriptor.makePipe()
            output = try FileDescriptor.makePipe()
        } catch {
            throw Self.failure("\(error)")
        }
        do {
            // A process group of its own: the terminal's Ctrl-C reaches the runner only.
            child = try ChildProcess(
                executable: executable,
                arguments: [
                    "serve", "--child", "--port", "0",
                    "--http-latency-ms", String(latencyMilliseconds), "--http-bytes", String(bodyBytes),
                ],
                standardInput: input.read, standardOutput: output.write, captureStandardError: false)
        } catch {
            [input.read, input.write, output.read, output.write].forEach(FileDescriptor.close)
            throw Self.failure("cannot start \(executable) serve: \(error)")
        }
        FileDescriptor.close(input.read)
        FileDescriptor.close(output.write)
        control = input.write
        let line = Self.readLine(output.read, timeoutMilliseconds: 10_000)
        FileDescriptor.close(output.read)
        url = line ?? ""
        guard url.hasPrefix("http://") else {
            stop()
            throw Self.failure("the local HTTP server (\(executable) serve) did not report its URL; see its message above")
        }
    }

    /// Closes the server's standard input (it stops on EOF), signals it in
    /// case it is not listening, and reaps it (killing it after 2 s). Safe to
    /// call more than once.
    func stop() {
        guard control >= 0 else { return }
        FileDescriptor.close(control)
        control = -1
        kill(child.pid, SIGTERM)
        _ = child.wait(until: MonotonicClock.now() + 2_000_000_000)
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
