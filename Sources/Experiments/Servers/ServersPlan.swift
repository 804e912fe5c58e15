import Foundation
import Harness
import Platform
import Servers
import Workloads

/// What `bench experiment servers` measures, from its options: the models,
/// the handlers, how long each load runs and how many connections to hold.
struct ServersPlan {
    /// A handler shape: what each `GET /task/<n>` does.
    struct Handler: Sendable {
        let name: String
        let cpuMicroseconds: Int
        let waitMilliseconds: Int
        let summary: String
    }

    static let handlers = [
        Handler(name: "cpu", cpuMicroseconds: 1_000, waitMilliseconds: 0, summary: "computes 1 ms"),
        Handler(name: "io", cpuMicroseconds: 0, waitMilliseconds: 10, summary: "waits 10 ms"),
        Handler(name: "mixed", cpuMicroseconds: 500, waitMilliseconds: 5, summary: "computes 0.5 ms, then waits 5 ms"),
    ]
    /// --quick: one mixed handler, small.
    static let quickHandler = Handler(name: "mixed", cpuMicroseconds: 200, waitMilliseconds: 2, summary: "computes 0.2 ms, then waits 2 ms")
    static let quickModels = ["thread-per-connection", "prefork", "epoll", "python-prefork", "python-asyncio"]
    /// The paths the open-loop generator cycles through (and whose bodies it checks).
    static let taskCycle = 64

    var models: [String]
    var handlers: [Handler]
    var runs: Int
    /// The claims table's checks decided by an interval (2 cpu, 4 io, 2 idle ratios).
    static let intervalChecks = 8
    /// Samples per configuration unless --runs says otherwise.
    static var defaultRuns: Int { ProbeOptions.runs(forClaims: intervalChecks) }
    var wrkSeconds: Int
    var wrkConnections: Int
    var loadSeconds: Double
    var loads: [Int]
    /// Absolute offered rates instead of `loads` (req/s).
    var rates: [Int]
    var idleConnections: Int
    var countRequests: Int
    var processes: Int
    var threads: Int
    var resultBytes: Int
    var port: UInt16
    var python: PythonInterpreter?
    let wrk: String
    let iterationPicoseconds = XorRoundTrip.measuredPicoseconds

    static let modelsOption = OptionSpec("--models", value: "M[,...]", help: "server models (default all: \(ServerModelRegistry.names.joined(separator: ", ")))")
    static let options: [OptionSpec] = [
        modelsOption,
        OptionSpec("--handlers", value: "H[,...]", help: "handlers: cpu (1 ms), io (10 ms wait), mixed (0.5 ms + 5 ms) (default all)"),
        OptionSpec("--seconds", value: "N", help: "seconds of each wrk run (default 1)"),
        OptionSpec("--wrk-connections", value: "N", help: "wrk's connections (default 64)"),
        OptionSpec("--load-seconds", value: "SECONDS", help: "seconds of each open-loop load level (default 0.6, after 0.2 s of warm-up; --quick 0.3)"),
        OptionSpec("--loads", value: "PCT[,...]", help: "offered load levels, % of each model's saturation (default 25,50,75,90)"),
        OptionSpec("--rates", value: "REQ/S[,...]", help: "offered rates in req/s instead of --loads (at most \(Int(OpenLoopGenerator.maximumRate)))"),
        OptionSpec("--connections", value: "N", help: "idle keep-alive connections to hold (default 2000; up to 10000, within ulimit -n)"),
        OptionSpec("--count-requests", value: "N", help: "GET /count requests of the shared-variable pitfall (default 500)"),
        OptionSpec("--processes", value: "N", help: "worker processes of the prefork models (default 2 x cores + 1, gunicorn's advice)"),
        OptionSpec("--threads", value: "N", help: "threads of the pools, per process for prefork-threads (default 8)"),
        OptionSpec("--result-bytes", value: "BYTES", help: "bytes of each /task answer (default 1024)"),
        OptionSpec("--port", value: "N", help: "port of every server, started one at a time (default 0: the kernel's choice)"),
    ]

    init(_ arguments: Arguments, probe: ProbeOptions) throws {
        let quick = probe.quick
        let allowed = probe.python == nil ? ServerModelRegistry.swift.map(\.name) : ServerModelRegistry.names
        models = try arguments.choiceList("--models", from: ServerModelRegistry.names, noun: "server model")
            ?? (quick ? Self.quickModels : ServerModelRegistry.names)
        models = models.filter { allowed.contains($0) }
        guard !models.isEmpty else {
            throw BenchError.usage("no server model left to measure", fix: "choose Swift models with --no-python, or leave --no-python out")
        }
        if let names = try arguments.choiceList("--handlers", from: Self.handlers.map(\.name), noun: "handler") {
            handlers = Self.handlers.filter { names.contains($0.name) }
        } else {
            handlers = quick ? [Self.quickHandler] : Self.handlers
        }
        // Enough for a ratio claim to survive Holm's correction over the claims
        // table's interval checks; 7 (the fewest that give a ratio of two medians
        // any 95% interval) left every ratio claim inconclusive at p = 0.016.
        runs = arguments.has("--runs") ? probe.runs : (quick ? 2 : Self.defaultRuns)
        wrkSeconds = try arguments.integer("--seconds", in: 1...600, example: 2) ?? 1
        wrkConnections = try arguments.integer("--wrk-connections", in: 1...10_000, example: 64) ?? 64
        loadSeconds = try arguments.seconds("--load-seconds", example: "1") ?? (quick ? 0.3 : 0.6)
        guard loadSeconds > 0, loadSeconds <= 600 else {
            throw BenchError.usage("--load-seconds must be above 0 and at most 600", fix: "e.g. --load-seconds 1")
        }
        loads = try arguments.integerList("--loads", in: 1...200, example: "25,50,75,90") ?? (quick ? [50, 90] : [25, 50, 75, 90])
        rates = try arguments.integerList("--rates", in: 1...Int.max, example: "500,1000") ?? []
        if let tooFast = rates.first(where: { Double($0) > OpenLoopGenerator.maximumRate }) {
            throw BenchError.usage(
                "an offered rate of \(tooFast) req/s is above what the open-loop generator can send on one thread (\(Int(OpenLoopGenerator.maximumRate)))",
                fix: "offer at most \(Int(OpenLoopGenerator.maximumRate)) req/s; for saturation, wrk measures it")
        }
        idleConnections = try arguments.integer("--connections", in: 1...10_000, example: 2000) ?? (quick ? 100 : 2000)
        let limit = FileLimit.raiseToHardLimit()
        guard idleConnections + 64 <= limit && wrkConnections + 64 <= limit else {
            throw BenchError.usage(
                "\(max(idleConnections, wrkConnections)) connections need more open descriptors than ulimit -n allows (\(limit))",
                fix: "raise it (ulimit -n \(max(idleConnections, wrkConnections) + 64)) or ask for fewer (--connections)")
        }
        countRequests = try arguments.integer("--count-requests", in: 1...1_000_000, example: 500) ?? (quick ? 100 : 500)
        processes = try arguments.integer("--processes", in: 1...256, example: 5) ?? (2 * ServerSetup.onlineCores + 1)
        threads = try arguments.integer("--threads", in: 1...1_000, example: 8) ?? 8
        resultBytes = try arguments.integer("--result-bytes", in: 0...(1 << 20), example: 1024) ?? 1024
        port = UInt16(try arguments.integer("--port", in: 0...65_535, example: 8080) ?? 0)
        python = probe.python?.interpreter
        wrk = try WrkRun.locate()
    }

    /// The server setup of `handler` (nil: the idle handler, no work, small answers).
    func setup(_ handler: Handler?, sharedCounter: Bool = false) -> ServerSetup {
        var setup = ServerSetup()
        setup.port = port
        setup.processes = processes
        setup.threads = threads
        setup.cpuMicroseconds = handler?.cpuMicroseconds ?? 0
        setup.waitMilliseconds = handler?.waitMilliseconds ?? 0
        setup.resultBytes = handler == nil ? 64 : resultBytes
        setup.iterationPicoseconds = iterationPicoseconds
        setup.sharedCounter = sharedCounter
        return setup
    }

    func language(_ model: String) -> String {
        ServerModelRegistry.swiftModel(named: model) == nil ? "python" : "swift"
    }

    /// What meta.json records.
    var notes: [String: JSONValue] {
        [
            "models": .array(models.map { .string($0) }),
            "handlers": .array(handlers.map { .string("\($0.name): cpu_us=\($0.cpuMicroseconds) wait_ms=\($0.waitMilliseconds)") }),
            "wrk": .string(wrk), "wrk_seconds": .integer(wrkSeconds), "wrk_connections": .integer(wrkConnections),
            "load_seconds": .number(loadSeconds), "loads_percent": .array(loads.map { .integer($0) }), "rates": .array(rates.map { .integer($0) }),
            "idle_connections": .integer(idleConnections), "count_requests": .integer(countRequests),
            "processes": .integer(processes), "threads": .integer(threads), "result_bytes": .integer(resultBytes),
            "iteration_ps": .integer(iterationPicoseconds),
        ]
    }
}
