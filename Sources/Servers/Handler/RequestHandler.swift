import Glibc
import LocalHTTP
import Platform
import Workloads

/// The one handler every server model runs: `GET /task/<n>` does the profile
/// workload's task n (computes `--cpu-us`, waits `--wait-ms`, answers
/// `--result-bytes` bytes whose `ResultBytes` digest is the task's known
/// result), and `GET /count` increments the counter and answers
/// `pid <pid> count <n>`.
///
/// In two halves, `begin` (compute, count) and `response` (after the wait),
/// so that an event loop can park a request on a timer between them; the
/// blocking models call `respond`, which sleeps between them.
public final class RequestHandler: Sendable {
    public let profile: ProfileWorkload
    public let counter: RequestCounter
    private let heads: (keepAlive: [UInt8], close: [UInt8])

    /// What `begin` did: the computed value of a task, or the count reached.
    public enum Started: Sendable {
        case task(UInt64)
        case count(Int)
        case status(Int)
    }

    public init(_ setup: ServerSetup) throws(ServerError) {
        do {
            profile = try ProfileWorkload(
                cpuMicroseconds: setup.cpuMicroseconds, waitMilliseconds: setup.waitMilliseconds, memoryKibibytes: 0,
                resultBytes: setup.resultBytes, iterationPicoseconds: setup.iterationPicoseconds)
        } catch {
            throw ServerError("\(error)", fix: "give --cpu-us, --wait-ms and --result-bytes of 0 or more", exitCode: .usage)
        }
        counter = RequestCounter(shared: setup.sharedCounter)
        heads = (Self.head(200, length: setup.resultBytes, keepAlive: true), Self.head(200, length: setup.resultBytes, keepAlive: false))
    }

    public var waitMilliseconds: Int { profile.waitMilliseconds }

    /// The first half: computes a task, or counts; never waits.
    public func begin(_ route: ServerRequest.Route) -> Started {
        switch route {
        case let .task(task): .task(profile.compute(task: task))
        case .count: .count(counter.increment())
        case .notFound: .status(404)
        case let .invalid(status): .status(status)
        }
    }

    /// The second half: the response's bytes, head and body.
    public func response(_ started: Started, keepAlive: Bool) -> [UInt8] {
        switch started {
        case let .task(x):
            return (keepAlive ? heads.keepAlive : heads.close) + profile.finish(computed: x)
        case let .count(count):
            let body = Array("pid \(getpid()) count \(count)\n".utf8)
            return Self.head(200, length: body.count, keepAlive: keepAlive) + body
        case let .status(status):
            let body = Array("this server answers GET /task/<n> and GET /count\n".utf8)
            return Self.head(status, length: body.count, keepAlive: false) + body
        }
    }

    /// Both halves with a blocking sleep of `--wait-ms` between: a thread that holds its request.
    public func respond(_ request: ServerRequest, keepAlive: Bool) -> [UInt8] {
        let started = begin(request.route)
        if waitMilliseconds > 0, case .task = started { BlockingSleep.milliseconds(waitMilliseconds) }
        return response(started, keepAlive: keepAlive && request.keepAlive)
    }

    /// Both halves with `Task.sleep` between: a task that suspends, holding no thread.
    public func respondAsync(_ request: ServerRequest, keepAlive: Bool) async -> [UInt8] {
        let started = begin(request.route)
        if waitMilliseconds > 0, case .task = started { try? await Task.sleep(for: .milliseconds(waitMilliseconds)) }
        return response(started, keepAlive: keepAlive && request.keepAlive)
    }

    /// Whether a started request waits before its response (only tasks do).
    public func waits(_ started: Started) -> Bool {
        if case .task = started { return waitMilliseconds > 0 }
        return false
    }

    private static func head(_ status: Int, length: Int, keepAlive: Bool) -> [UInt8] {
        let reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Error"
        return Array((
            "HTTP/1.1 \(status) \(reason)\r\nContent-Length: \(length)\r\nContent-Type: application/octet-stream\r\n"
                + "Connection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n"
        ).utf8)
    }
}
