import LocalHTTP
import Platform

/// A task that fetches `GET /task/<n>` from an HTTP server that answers after
/// a set latency: the tutorials' crawler, on loopback.
///
/// Threads (and processes) use the blocking client, one connection per
/// request, or one per worker with `--keep-alive`. The async model uses the
/// own event-loop client (`native`) or URLSession (`urlsession`), and never
/// blocks a pool thread. Each task returns the digest of the body it
/// received, after its status and length were checked; the body is a known
/// function of the task, so the expected result is computed without a server.
public struct HTTPWorkload: Workload {
    /// Which client `runAsync` uses.
    public enum AsyncClient: String, Sendable, CaseIterable {
        case native
        case urlsession
    }

    /// The latency the server was asked for (it is the server that waits).
    public let latencyMilliseconds: Int
    public let bytes: Int
    public let keepAlive: Bool
    public let asyncClient: AsyncClient
    /// Nil until the runner has started its server (or when none was given).
    public let endpoint: HTTPEndpoint?
    /// This process's failed requests in the current run.
    let failures = RequestFailures()

    public init(latencyMilliseconds: Int, bytes: Int, keepAlive: Bool = false, asyncClient: AsyncClient = .native, url: String = "") throws {
        guard latencyMilliseconds >= 0, bytes >= 0 else {
            throw WorkloadError("http needs a latency and a body size of 0 or more", exitCode: .usage)
        }
        self.latencyMilliseconds = latencyMilliseconds
        self.bytes = bytes
        self.keepAlive = keepAlive
        self.asyncClient = asyncClient
        endpoint = url.isEmpty ? nil : try HTTPEndpoint(url: url)
        // Thousands of threads or in-flight requests need a descriptor each.
        FileLimit.raiseToHardLimit()
    }

    /// The registry name, for the runner, which starts a server for cells of this workload.
    public static let registryName = "http"

    public var name: String { Self.registryName }
    public var kind: WorkloadKind { .io }
    public var work: WorkSize { WorkSize(amount: latencyMilliseconds, unit: "ms") }

    /// Longest a request may take, connect included: generous beside the
    /// latency, because thousands of simultaneous connects can queue for a
    /// while, yet short enough that a hung server fails the task with a
    /// message before the cell's `--timeout` ends the whole run.
    public var timeoutSeconds: Double { 30 + Double(latencyMilliseconds) / 1000 }

    /// A failed request is counted, not thrown: the run goes on and
    /// `finish()` reports how many failed. Its placeholder result can never
    /// pass as the body's digest.
    public func run(task: Int) throws -> UInt64 {
        failures.outcome(of: Result { () throws(HTTPError) in try fetch(task: task) }, placeholder: placeholder(task: task))
    }

    public func runAsync(task: Int) async throws -> UInt64 {
        let request: Result<UInt64, HTTPError>
        do {
            request = .success(try await fetchAsync(task: task))
        } catch let error as HTTPError {
            request = .failure(error)
        }
        return failures.outcome(of: request, placeholder: placeholder(task: task))
    }

    public func finish() throws {
        try failures.endRun()
    }

    /// One request on a fresh connection, its response checked.
    func fetch(task: Int) throws(HTTPError) -> UInt64 {
        let connection = try BlockingHTTPConnection(endpoint: server(), timeoutSeconds: timeoutSeconds)
        return try verified(connection.fetch(task: task, keepAlive: false, timeoutSeconds: timeoutSeconds), task: task)
    }

    func fetchAsync(task: Int) async throws -> UInt64 {
        let endpoint = try server()
        let summary: HTTPResponseSummary
        switch asyncClient {
        case .native:
            summary = try await AsyncHTTPClient.shared.get().fetch(
                task: task, endpoint: endpoint, keepAlive: keepAlive, timeoutSeconds: timeoutSeconds)
        case .urlsession:
            summary = try await URLSessionHTTPClient.shared.get().fetch(
                task: task, endpoint: endpoint, keepAlive: keepAlive, timeoutSeconds: timeoutSeconds)
        }
        return try verified(summary, task: task)
    }

    func placeholder(task: Int) -> UInt64 {
        ~HTTPBody.digest(task: task, bytes: bytes)
    }

    public func expectedResult(task: Int) -> UInt64? {
        HTTPBody.digest(task: task, bytes: bytes)
    }

    public func makeSession() throws -> any WorkloadSession {
        HTTPSession(workload: self)
    }

    /// One request, made before a run: a server that is missing or sends
    /// other bodies than `--http-bytes` is reported once, clearly, instead of
    /// once per cell.
    public func checkServer() throws {
        _ = try fetch(task: 0)
    }

    /// Loads the async client now, so that a missing URLSession plugin is
    /// reported before a run rather than by every async cell.
    public func checkAsyncClient() throws {
        switch asyncClient {
        case .native: _ = try AsyncHTTPClient.shared.get()
        case .urlsession: _ = try URLSessionHTTPClient.shared.get()
        }
    }

    /// The task's result if the response is the one asked for.
    func verified(_ summary: HTTPResponseSummary, task: Int) throws(HTTPError) -> UInt64 {
        let url = endpoint?.url(task: task) ?? "/task/\(task)"
        guard summary.status == 200 else {
            throw HTTPError.response(url, "status \(summary.status), expected 200")
        }
        guard summary.bodyBytes == bytes else {
            throw HTTPError.response(
                url, "\(summary.bodyBytes)-byte body, expected \(bytes) (--http-bytes must match the server's)")
        }
        return summary.digest
    }

    func server() throws(HTTPError) -> HTTPEndpoint {
        guard let endpoint else {
            throw HTTPError(.connect, "no HTTP server to fetch from: give --http-url, or let bench run start its own")
        }
        return endpoint
    }

    public static let latencyParameter = ParameterDeclaration.milliseconds(
        "http-latency-ms", default: 5, quick: 2, range: 0...600_000, help: "http: milliseconds the server waits before each response")
    public static let bytesParameter = ParameterDeclaration.bytes(
        "http-bytes", default: 1024, range: 0...(256 << 20), help: "http: response body size in bytes")
    public static let urlParameter = ParameterDeclaration.text(
        "http-url", example: "http://127.0.0.1:8080/",
        help: "http: send every request of every http cell to this IPv4 server (e.g. a bench serve) instead of starting one; contacted only once the run starts")

    public static let declaration = WorkloadDeclaration(
        name: registryName, kind: .io,
        summary: "GET /task/<n> from a local server answering after --http-latency-ms (bench starts it)",
        parameters: [
            latencyParameter, bytesParameter,
            .flag("keep-alive", help: "http: reuse connections instead of one per request: threads keep one each for a sample; async keeps a pool (one per task in flight) across samples"),
            .choice("http-client", AsyncClient.allCases.map(\.rawValue), default: AsyncClient.native.rawValue,
                    help: "http: the async models' client, native (own epoll loop) or urlsession"),
            urlParameter,
        ],
        defaultTasks: 64, quickTasks: 16, fixture: HTTPServerFixture.declaration
    ) { values in
        try HTTPWorkload(
            latencyMilliseconds: values.number("http-latency-ms"), bytes: values.number("http-bytes"),
            keepAlive: values.isOn("keep-alive"), asyncClient: AsyncClient(rawValue: values.text("http-client")) ?? .native,
            url: values.text("http-url"))
    }
}

/// A worker thread's client: a fresh connection per request, or with
/// `--keep-alive` one connection reused for all of the thread's requests.
final class HTTPSession: WorkloadSession {
    let workload: HTTPWorkload
    private var connection: BlockingHTTPConnection?

    init(workload: HTTPWorkload) {
        self.workload = workload
    }

    func run(task: Int) throws -> UInt64 {
        guard workload.keepAlive else {
            return try workload.run(task: task)
        }
        return workload.failures.outcome(
            of: Result { () throws(HTTPError) in try fetchKeepingAlive(task: task) }, placeholder: workload.placeholder(task: task))
    }

    private func fetchKeepingAlive(task: Int) throws(HTTPError) -> UInt64 {
        let timeout = workload.timeoutSeconds
        if let reused = connection, reused.isReusable {
            do {
                return try workload.verified(reused.fetch(task: task, keepAlive: true, timeoutSeconds: timeout), task: task)
            } catch let error where error.kind == .transport {
                // The server may close an idle connection just as it is reused: one fresh attempt.
                connection = nil
            }
        }
        let fresh = try BlockingHTTPConnection(endpoint: workload.server(), timeoutSeconds: timeout)
        connection = fresh
        return try workload.verified(fresh.fetch(task: task, keepAlive: true, timeoutSeconds: timeout), task: task)
    }
}
