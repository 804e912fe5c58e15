import Glibc
import LocalHTTP
import Platform

/// The `http` workload's fixture: the server its requests go to.
///
/// Unless `--http-url` names one, bench starts its own server as a child
/// process (`ServerProcess`) per distinct latency and body size, for the
/// whole invocation.
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
    private let server: ServerProcess?
    /// The values the check request is made with; nil once it has been made.
    private var unchecked: ParameterValues?

    private init(url: String, server: ServerProcess?, values: ParameterValues) {
        self.url = url
        self.server = server
        self.unchecked = values
    }

    var note: String? {
        server == nil ? "external server at \(url) (--http-url)" : "started by bench at \(url)"
    }

    func resolve(_ parameters: ParameterValues) -> ParameterValues {
        var resolved = parameters
        resolved["http-url"] = .text(url)
        return resolved
    }

    func stop() {
        server?.stop()
    }

    func sampleWillStart() throws {
        try checkOnce()
    }

    static let declaration = FixtureDeclaration(
        keyParameters: ["http-latency-ms", "http-bytes", "http-url", "http-client"],
        thisMachineOnly: "its server is bench's own, on 127.0.0.1"
    ) { values in
        let fixture = try start(values)
        guard fixture.server != nil else { return fixture }
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
            return HTTPServerFixture(url: try HTTPEndpoint(url: given).url, server: nil, values: values)
        }
        let server = try ServerProcess(arguments: [
            "--http-latency-ms", String(values.number("http-latency-ms")), "--http-bytes", String(values.number("http-bytes")),
        ])
        return HTTPServerFixture(url: server.url, server: server, values: values)
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
            guard server != nil else { throw FixtureUnavailable(error.what, fix: error.fix) }
            throw FixtureUnavailable(error.what, fix: "the server bench started did not answer; try bench serve on its own")
        }
    }
}
