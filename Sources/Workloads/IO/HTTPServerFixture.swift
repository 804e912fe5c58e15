import Glibc
import LocalHTTP
import Platform

/// The `http` workload's fixture: the server its requests go to.
///
/// Unless `--http-url` names one, bench starts its own server as a child
/// process (`bench-worker serve`) per distinct latency and body size, for the
/// whole invocation. A separate process, so that its CPU time never counts in
/// the cells' (`getrusage(RUSAGE_SELF)` of the runner does not see it) and a
/// model's threads never compete with it inside one process. It runs in its
/// own process group, so the Ctrl-C that asks the runner to stop after the
/// current sample does not also kill the server under that sample; and it
/// stops when its standard input closes, which happens however bench ends,
/// even by SIGKILL.
///
/// One request checks the server before any cell uses it, so that a missing
/// server or one sending other bodies is one clear error, not a failure in
/// every cell. bench's own server is checked as soon as it has started; a
/// server named by `--http-url` only when the first sample that uses it is
/// about to start, so that nothing is sent there unless a run is under way
/// (a plan that fails validation, or is interrupted first, sends nothing).
final class HTTPServerFixture: WorkloadFixture {
    /// The server's base URL, e.g. `http://127.0.0.1:40123/`.
    let url: String
    private let child: ChildProcess?
    private var control: Int32
    /// The values the check request is made with; nil once it has been made.
    private var unchecked: ParameterValues?

    private init(url: String, child: ChildProcess?, control: Int32, values: ParameterValues) {
        self.url = url
        self.child = child
        self.control = control
        self.unchecked = values
    }

    deinit {
        stop()
    }

    var note: String? {
        child == nil ? "external server at \(url) (--http-url)" : "started by bench at \(url)"
    }

    func resolve(_ parameters: ParameterValues) -> ParameterValues {
        var resolved = parameters
        resolved["http-url"] = .text(url)
        return resolved
    }

    /// Closes the server's standard input (it stops on EOF), signals it in
    /// case it is not listening, and reaps it (killing it after 2 s). Safe to
    /// call more than once.
    func stop() {
        guard control >= 0 else { return }
        FileDescriptor.close(control)
        control = -1
        child?.signal(SIGTERM)
        _ = child?.wait(until: MonotonicClock.deadline(afterSeconds: 2))
    }

    func sampleWillStart() throws {
        try checkOnce()
    }

    static let declaration = FixtureDeclaration(keyParameters: ["http-latency-ms", "http-bytes", "http-url", "http-client"]) { values in
        let fixture = try start(values)
        guard fixture.child != nil else { return fixture }
        do {
            try fixture.checkOnce()
        } catch {
            fixture.stop()
            throw error
        }
        return fixture
    }

    private static func start(_ values: ParameterValues) throws -> HTTPServerFixture {
        let given = values.text("http-url")
        if !given.isEmpty {
            return HTTPServerFixture(url: try HTTPEndpoint(url: given).url, child: nil, control: -1, values: values)
        }
        // Close-on-exec pipes (made atomically): bench's ends must leak into no other
        // child, or the server would not see EOF on its stdin when bench ends.
        let input = try FileDescriptor.makePipe()
        let output: (read: Int32, write: Int32)
        do {
            output = try FileDescriptor.makePipe()
        } catch {
            FileDescriptor.close(input.read)
            FileDescriptor.close(input.write)
            throw error
        }
        let child: ChildProcess
        do {
            child = try ChildProcess(
                executable: try HelperExecutable.resolve(),
                arguments: HelperExecutable.arguments([
                    HTTPServerChild.role, "--http-latency-ms", String(values.number("http-latency-ms")),
                    "--http-bytes", String(values.number("http-bytes")),
                ]),
                standardInput: input.read, standardOutput: output.write)
        } catch {
            [input.read, input.write, output.read, output.write].forEach(FileDescriptor.close)
            throw error
        }
        FileDescriptor.close(input.read)
        FileDescriptor.close(output.write)
        let line = FileDescriptor.readLine(output.read, milliseconds: 10_000)
        FileDescriptor.close(output.read)
        let fixture = HTTPServerFixture(url: line ?? "", child: child, control: input.write, values: values)
        guard let line, line.hasPrefix("http://") else {
            fixture.stop()
            let message = child.standardError().split(whereSeparator: \.isNewline).last.map(String.init) ?? "no message"
            throw WorkloadError(
                "the local HTTP server (bench-worker serve) did not report its URL: \(message)",
                fix: "try bench serve on its own to see why, or give --http-url of a server you started")
        }
        return fixture
    }

    /// One request with the cell's own settings, and the async client loaded
    /// when the cells will use URLSession (a missing plugin is one error),
    /// the first time only. Throws `FixtureUnavailable`: no cell can run.
    private func checkOnce() throws {
        guard let values = unchecked else { return }
        unchecked = nil
        let workload = try HTTPWorkload(
            latencyMilliseconds: values.number("http-latency-ms"), bytes: values.number("http-bytes"),
            asyncClient: HTTPWorkload.AsyncClient(rawValue: values.text("http-client")) ?? .native, url: url)
        if workload.asyncClient == .urlsession {
            do {
                try workload.checkAsyncClient()
            } catch let error as HTTPError {
                throw FixtureUnavailable(error.what, fix: "build everything with swift build -c release (swift run builds only bench and bench-worker)")
            }
        }
        do {
            try workload.checkServer()
        } catch let error as HTTPError {
            guard child != nil else { throw FixtureUnavailable(error.what, fix: error.fix) }
            throw FixtureUnavailable(error.what, fix: "the server bench started did not answer; try bench serve on its own")
        }
    }
}
