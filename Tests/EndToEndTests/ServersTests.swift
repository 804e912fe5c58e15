import Foundation
import Glibc
import LocalHTTP
import Platform
import Servers
import Synchronization
import Testing
@testable import Experiments
@testable import Harness
import TestSupport
import Workloads

/// The server models of `bench experiment servers`, run as bench runs them
/// (bench-worker server, python3 python/servers/*.py): every one answers the
/// handler with the known bytes, the prefork counts, processes reaped after
/// stop and after bench is SIGKILLed, the open-loop generator's
/// coordinated-omission correction, wrk, and bad input.
@Suite("servers", .serialized)
struct ServersTests {
    static func setup(cpu: Int = 50, wait: Int = 2, bytes: Int = 100, shared: Bool = false) -> ServerSetup {
        var setup = ServerSetup()
        setup.processes = 3
        setup.threads = 2
        setup.cpuMicroseconds = cpu
        setup.waitMilliseconds = wait
        setup.resultBytes = bytes
        setup.sharedCounter = shared
        return setup
    }

    static func python() throws -> PythonInterpreter {
        try #require(PackageFile.onPath("python3") != nil, "python3 is needed (.ci/run installs it)")
        return try PythonInterpreter.resolve(nil)
    }

    /// `GET path` on a new connection (or `reusing` one), its status and body.
    static func get(_ port: UInt16, _ path: String, keepAlive: Bool = false) throws -> HTTPResponseSummary {
        let connection = try BlockingHTTPConnection(endpoint: HTTPEndpoint(port: port), timeoutSeconds: 10)
        return try connection.get(path: path, keepAlive: keepAlive, timeoutSeconds: 10)
    }

    @Test func everyModelAnswersTheHandlerWithTheTasksBytesAndIsReapedOnStop() throws {
        let python = try Self.python()
        let profile = try ProfileWorkload(cpuMicroseconds: 50, waitMilliseconds: 2, memoryKibibytes: 0, resultBytes: 100)
        for model in ServerModelRegistry.names {
            let server = try ServerUnderTest(model, setup: Self.setup(), python: python)
            let processes = server.processes
            let prefork = model.contains("prefork")
            #expect(prefork ? processes.count == 4 : processes.count == 1, "\(model): \(processes)")
            // Two requests on one connection where the model keeps it, on fresh ones where it closes.
            let connection = try BlockingHTTPConnection(endpoint: HTTPEndpoint(port: server.port), timeoutSeconds: 10)
            for task in [0, 7, 12_345] {
                let response = connection.isReusable
                    ? try connection.get(path: "/task/\(task)", keepAlive: true, timeoutSeconds: 10) : try Self.get(server.port, "/task/\(task)")
                #expect(response.status == 200, "\(model)")
                #expect(response.body.map { ResultBytes.digest($0) } == profile.expectedResult(task: task), "\(model) task \(task)")
            }
            #expect(try Self.get(server.port, "/elsewhere").status == 404, "\(model)")
            // A request followed at once by the client's end of sending is still answered, whole.
            let raw = try RawSocket(port: server.port)
            raw.send("GET /task/3 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            shutdown(raw.fd, Int32(SHUT_WR))
            let answer = RawResponse.split(raw.readToEnd().bytes)?.response
            #expect(answer.map { ResultBytes.digest($0.body) } == profile.expectedResult(task: 3), "\(model): \(answer?.head ?? "no answer")")
            server.stop()
            #expect(ProcessTable.eventually(within: 5) { processes.allSatisfy(ProcessTable.hasExited) }, "\(model) left \(processes.filter { !ProcessTable.hasExited($0) })")
            #expect(ProcessTable.isReaped(server.pid), "\(model)")
        }
    }

    /// The seed's pitfall: a global counted per process in prefork, once in threads; the shared page fixes it.
    @Test func preforkCountsOnePerProcessSummingToNAndTheSharedCounterCountsAll() throws {
        let python = try Self.python()
        let requests = 60
        for model in ["prefork", "python-prefork", "thread-pool", "python-threading"] {
            for shared in [false, true] {
                let server = try ServerUnderTest(model, setup: Self.setup(cpu: 0, wait: 0, shared: shared), python: python)
                defer { server.stop() }
                var last: [Int: Int] = [:]
                for _ in 0..<requests {
                    let words = String(decoding: try Self.get(server.port, "/count").body ?? [], as: UTF8.self).split(whereSeparator: \.isWhitespace)
                    try #require(words.count == 4 && words[0] == "pid" && words[2] == "count", "\(model): \(words)")
                    let pid = Int(words[1])!
                    last[pid] = max(last[pid] ?? 0, Int(words[3])!)
                }
                if shared || !model.contains("prefork") {
                    #expect(last.values.max() == requests, "\(model) shared \(shared): \(last)")
                } else {
                    #expect(last.values.reduce(0, +) == requests, "\(model): \(last)")
                    #expect(last.keys.allSatisfy { server.processes.contains(Int32($0)) }, "\(model): \(last)")
                }
            }
        }
    }

    /// A model asked for a port that is taken says so in one line, exit 64.
    @Test func aPortInUseIsOneLineAndExit64() throws {
        let taken = try RawListener()
        for arguments in [["server", "epoll", "--port", "\(taken.port)"], ["server", "prefork-reuseport", "--port", "\(taken.port)"]] {
            let result = try BenchBinary.runProgram(BenchBinary.workerURL, arguments: arguments)
            #expect(result.status == 64, "\(arguments): \(result.standardError)")
            #expect(result.standardError.hasPrefix("error: cannot listen on 127.0.0.1:\(taken.port)"), "\(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        }
        let python = try Self.python()
        var setup = Self.setup()
        setup.port = taken.port
        #expect(throws: (any Error).self) { try ServerUnderTest("python-asyncio", setup: setup, python: python) }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run([
            "experiment", "servers", "--quick", "--models", "epoll", "--port", "\(taken.port)", "--no-python", "--out", folder.url.path, "--no-plot",
        ])
        #expect(result.status == 64, "\(result.standardError)")
        #expect(result.standardError.contains("Address already in use"), "\(result.standardError)")
    }

    @Test func badInputIsOneLineAndExit64() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let cases: [[String]] = [
            ["--rates", "250000"],                // above what the generator may send
            ["--connections", "20000"],           // beyond the option's range
            ["--models", "gunicorn"],
            ["--handlers", "gpu"],
        ]
        for extra in cases {
            let result = try BenchBinary.run(["experiment", "servers", "--quick", "--no-python", "--out", folder.url.path, "--no-plot"] + extra)
            #expect(result.status == 64, "\(extra): \(result.standardError)")
            let lines = result.standardError.split(separator: "\n").filter { $0.hasPrefix("error: ") }
            #expect(lines.count == 1, "\(extra): \(result.standardError)")
        }
        // ulimit -n too low for the connections asked.
        let limited = try BenchBinary.runProgram(URL(fileURLWithPath: "/bin/sh"), arguments: [
            "-c", "ulimit -n 300 && exec \"$0\" experiment servers --quick --no-python --connections 1000 --out \"$1\" --no-plot", BenchBinary.url.path, folder.url.path,
        ])
        #expect(limited.status == 64, "\(limited.standardError)")
        #expect(limited.standardError.contains("ulimit -n"), "\(limited.standardError)")
        let worker = try BenchBinary.runProgram(BenchBinary.workerURL, arguments: ["server", "nginx"])
        #expect(worker.status == 64 && worker.standardError.hasPrefix("error: unknown server model 'nginx'"), "\(worker.standardError)")
    }

    /// Coordinated omission: a server that stalls once for 200 ms while
    /// requests keep falling due must show in the p99 at a fixed rate, because
    /// every request is timed from when it was due, not from when it could be sent.
    @Test func openLoopLatencyCountsAStallFromEachRequestsIntendedSendTime() throws {
        let server = try StallingServer(stallAtRequest: 150, stallMilliseconds: 200)
        defer { server.stop() }
        let plan = OpenLoopGenerator.Plan(port: server.port, rate: 500, seconds: 1, connections: 1, timeoutSeconds: 5, path: { "/task/\($0)" })
        let outcome = try OpenLoopGenerator(plan).run()
        #expect(outcome.errors == 0 && outcome.completed == 500, "\(outcome.errors) errors, \(outcome.completed) answered")
        // ~100 requests fell due during the stall (200 ms at 500/s): far more than 1% of 500, so the p99 lies inside it.
        let p99 = try #require(outcome.latency(0.99))
        #expect(p99 > 0.1, "p99 \(p99) s")
        #expect((outcome.latency(0.5) ?? 1) < 0.1, "p50 \(outcome.latency(0.5) ?? -1) s")
        // A closed-loop client on the same one connection would have timed only the one stalled request.
        #expect(outcome.latencies.filter { $0 > 0.1 }.count > 20)
    }

    @Test func wrkMeasuresASwiftServerAndItsReportIsRead() throws {
        let wrk = try WrkRun.locate()
        let server = try ServerUnderTest("epoll-per-core", setup: Self.setup(cpu: 0, wait: 1), python: nil)
        defer { server.stop() }
        let run = try WrkRun.run(wrk: wrk, port: server.port, path: "/task/1", connections: 8, threads: 2, seconds: 1)
        #expect(run.requestsPerSecond > 100 && run.errors == 0, "\(run)")
        #expect((run.p50Seconds ?? 0) >= 0.001, "\(run)")
        let parsed = WrkRun.parse("""
            Running 1s test @ http://127.0.0.1:1/task/1
              Latency Distribution
                 50%    1.23ms
                 99%   45.60us
              1234 requests in 1.00s, 2.00MB read
              Socket errors: connect 1, read 2, write 0, timeout 3
              Non-2xx or 3xx responses: 4
            Requests/sec:   1234.50
            """)
        #expect(parsed?.requestsPerSecond == 1234.5 && parsed?.requests == 1234 && parsed?.errors == 10)
        #expect(parsed?.p50Seconds == 0.00123 && parsed?.p99Seconds == 0.0000456)
    }

    /// The experiment end to end with two models, then bench SIGKILLed in the
    /// middle of a run: every server process it started goes with it.
    @Test func quickExperimentWritesItsTablesAndServersDieWithBench() throws {
        _ = try Self.python()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run([
            "experiment", "servers", "--quick", "--models", "epoll,python-prefork", "--runs", "1", "--out", folder.url.path, "--no-plot",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        for text in ["saturation", "latency under open load", "idle keep-alive connections", "GET /count", "the generators", "python-prefork-counts-sum-to-n"] {
            #expect(result.standardOutput.contains(text) || text.hasSuffix("-n"), "\(text)")
        }
        let csv = try ProbeExperimentTests.checkFolder(folder.url.appendingPathComponent("latest"), experiment: "servers")
        #expect(ProbeExperimentTests.claim(csv, "python-prefork-counts-sum-to-n") == "holds")
        #expect(ProbeExperimentTests.claim(csv, "python-prefork-shared-counter-fixes") == "holds")
        #expect(csv.rows.contains { $0["subject"] == "epoll" && $0["metric"] == "p99_ms" && $0["size"] == "90" })

        // Killed mid-run: its servers and their workers end with it.
        let killed = try TemporaryFolder()
        defer { killed.remove() }
        let bench = try Spawned(BenchBinary.url, [
            "experiment", "servers", "--models", "prefork-threads,python-prefork", "--handlers", "io", "--seconds", "5", "--out", killed.url.path, "--no-plot",
        ])
        var servers: [Int32] = []
        #expect(ProcessTable.eventually(within: 30) {
            servers = ProcessTable.descendants(of: bench.pid).filter {
                let line = ProcessTable.commandLine($0)
                return line.contains("bench-worker server") || line.contains("python/servers/")
            }
            return servers.count >= 3 // the server and its workers
        }, "no server started: \(bench.standardError())")
        kill(bench.pid, SIGKILL)
        _ = bench.wait()
        #expect(ProcessTable.eventually(within: 10) { servers.allSatisfy(ProcessTable.hasExited) },
                "left behind: \(servers.filter { !ProcessTable.hasExited($0) }.map(ProcessTable.commandLine))")
    }
}

/// A one-thread HTTP server on 127.0.0.1 that answers `ok` at once, except
/// that its `stallAtRequest`-th request blocks it (and every other
/// connection) for `stallMilliseconds` before the answer.
final class StallingServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let stopRequested = Atomic<Bool>(false)
    private var thread: NativeThread?

    init(stallAtRequest: Int, stallMilliseconds: Int) throws {
        listener = try Socket.makeTCP(nonBlocking: true)
        Socket.setReuseAddress(listener)
        guard Socket.bind(listener, to: Socket.address(host: Socket.loopback, port: 0)) == 0, listen(listener, 512) == 0,
              let port = Socket.localPort(listener) else { throw TestError("cannot listen") }
        self.port = port
        thread = try NativeThread.start(name: "stalling") { [self] in serve(stallAt: stallAtRequest, stall: stallMilliseconds) }
    }

    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        thread?.join()
        thread = nil
        close(listener)
    }

    private func serve(stallAt: Int, stall: Int) {
        var polled = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
        var inputs: [Int32: [UInt8]] = [:]
        var answered = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        let answer = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8)
        while !stopRequested.load(ordering: .relaxed) {
            guard poll(&polled, nfds_t(polled.count), 50) > 0 else { continue }
            var closed: Set<Int32> = []
            for entry in polled where entry.revents != 0 {
                if entry.fd == listener {
                    while case let fd = acceptNonBlocking(listener), fd >= 0 { inputs[fd] = [] }
                    continue
                }
                let count = read(entry.fd, &buffer, buffer.count)
                guard count > 0 else {
                    closed.insert(entry.fd)
                    continue
                }
                inputs[entry.fd, default: []] += buffer[0..<count]
                while let end = inputs[entry.fd]!.withUnsafeBytes({ HTTPRequestParser.headEnd($0) }) {
                    inputs[entry.fd]!.removeFirst(end)
                    answered += 1
                    if answered == stallAt { usleep(UInt32(stall * 1000)) }
                    _ = answer.withUnsafeBytes { send(entry.fd, $0.baseAddress, $0.count, Socket.noSignal) }
                }
            }
            for fd in closed {
                close(fd)
                inputs.removeValue(forKey: fd)
            }
            polled = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)] + inputs.keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        }
        inputs.keys.forEach { close($0) }
    }
}
