import Engine
import Foundation
import Harness
import Platform
import Workloads

/// The GIL's switch interval, measured: IO-bound Python threads beside one
/// CPU-bound thread wait for the GIL until the interval makes the CPU
/// thread drop it (the convoy effect). The same with the CPU-bound work in a
/// process of its own, and Swift's threads, with no GIL, as the reference.
public struct GILSwitchExperiment: Experiment {
    public init() {}

    public var name: String { "gil-switch" }
    public var summary: String { "IO threads' latency beside a CPU-bound thread under sys.setswitchinterval, vs a CPU process and Swift threads" }
    public var claims: [SeedClaim] { GILSwitchReport.claims }

    static let defaultIntervals = [0.0005, 0.005, 0.05]
    /// CPython's own default: the interval of the alone and processes configurations.
    static let defaultInterval = 0.005
    static let intervalRange = 0.000_001...10.0
    static let ioKinds = ["sleep", "http"]
    /// The server's answer: after 1 ms (as the sleep), 64 bytes.
    static let httpLatencyMilliseconds = 1
    static let httpBytes = 64

    static let durationParameter = ParameterDeclaration.milliseconds(
        "duration-ms", default: 500, quick: 100, range: 10...600_000, help: "how long the IO threads of one sample repeat their IO")
    static let threadsParameter = ParameterDeclaration.count(
        "io-threads", default: 4, range: 1...256, help: "IO-bound threads per sample")

    /// The claims table's checks that need an interval (ratios of medians).
    static let intervalChecks = 8

    public var options: [OptionSpec] {
        [
            OptionSpec("--intervals", value: "SECONDS[,...]", help: "sys.setswitchinterval values of the threads configurations, above 0 and at most 10 s (default \(Self.defaultIntervals.map { Self.format($0) }.joined(separator: ",")))"),
            OptionSpec("--io", value: "LIST", help: "what each IO thread does: sleep (time.sleep(0.001)), http (GET from bench's own server, answered after 1 ms) (default sleep,http)"),
            ProbeOptions.spec(Self.threadsParameter), ProbeOptions.spec(Self.durationParameter),
        ] + ProbeOptions.specs(forClaims: Self.intervalChecks)
    }

    public var notes: [String] {
        [
            "Configurations per IO kind: Python IO threads alone; beside one CPU-bound thread (seed 004's x ^ 1 loop) at\neach --intervals; beside one CPU-bound process; Swift IO threads alone and beside one CPU-bound thread.",
            "Each IO is timed from just before the call to just after it returns: a Python thread woken on time still\nwaits for the GIL, which the CPU-bound thread drops only when the switch interval asks it to.",
            "Writes experiment.csv: every sample, the medians with 95% intervals, and the claim checks.",
        ]
    }

    static let metrics = [
        ProbeMetric("io_p50_us", unit: "us"), ProbeMetric("io_p99_us", unit: "us"), ProbeMetric("io_per_s", unit: "io/s"),
        ProbeMetric("cpu_iterations_per_s", unit: "it/s"),
    ]

    /// `0.0005`: seconds as typed, without trailing zeros.
    static func format(_ seconds: Double) -> String {
        var text = String(format: "%.6f", seconds)
        while text.hasSuffix("0") { text.removeLast() }
        return text.hasSuffix(".") ? String(text.dropLast()) : text
    }

    /// A comma-separated list of intervals in seconds, each in `intervalRange`.
    static func intervals(_ arguments: Arguments) throws -> [Double] {
        guard let text = arguments.string("--intervals") else { return defaultIntervals }
        var values: [Double] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Double(item), value.isFinite, intervalRange.contains(value) else {
                throw BenchError.usage(
                    "--intervals expects switch intervals in seconds above 0 and at most 10, separated by commas, got '\(text)'",
                    fix: "e.g. --intervals 0.0005,0.005,0.05")
            }
            if !values.contains(value) { values.append(value) }
        }
        return values.sorted()
    }

    public func run(_ arguments: Arguments, output: Invocation.Output) throws -> ExitCode {
        let intervals = try Self.intervals(arguments)
        let kinds = try arguments.choiceList("--io", from: Self.ioKinds, noun: "IO kind") ?? Self.ioKinds
        let probe = try ProbeOptions(arguments, script: "python/seed_gil_switch.py", claimChecks: Self.intervalChecks)
        let threads = try ProbeOptions.number(arguments, Self.threadsParameter, quick: probe.quick)
        let milliseconds = try ProbeOptions.number(arguments, Self.durationParameter, quick: probe.quick)
        if probe.python == nil { printNote("note: --no-python: only Swift's threads are measured") }
        // bench's own server, for every configuration that requests: started once, stopped at the end.
        let server = kinds.contains("http") ? try Self.startServer() : nil
        defer { server?.fixture.stop() }
        let runs = probe.runs
        let timeout = probe.timeoutSeconds
        var configurations: [ProbeConfiguration] = []
        for io in kinds {
            let url = io == "http" ? server?.url ?? "" : ""
            var python: [(subject: String, interval: Double)] = [("alone", Self.defaultInterval), ("processes", Self.defaultInterval)]
            python += intervals.map { ("threads", $0) }
            if let script = probe.python {
                for (subject, interval) in python {
                    let key = Self.key("python", subject, io: io, interval: interval)
                    configurations.append(ProbeConfiguration(key) {
                        let spec: [String: JSONValue] = [
                            "subject": .string(subject), "interval": .number(interval), "io": .string(io), "url": .string(url),
                            "io_threads": .integer(threads), "duration_ms": .integer(milliseconds), "samples": .integer(runs),
                        ]
                        return try script.run(spec, timeoutSeconds: timeout).map { ProbeSample(key, $0) }
                    })
                }
            }
            for subject in ["alone", "threads"] {
                let key = Self.key("swift", subject, io: io, interval: nil)
                configurations.append(ProbeConfiguration(key) {
                    let http = io == "http"
                        ? try HTTPWorkload(latencyMilliseconds: Self.httpLatencyMilliseconds, bytes: Self.httpBytes, url: url) : nil
                    return try (0..<runs).map { _ in
                        ProbeSample(key, try SwiftConvoy.measure(withCPU: subject == "threads", http: http, ioThreads: threads, milliseconds: milliseconds))
                    }
                })
            }
        }
        let notes: [String: JSONValue] = [
            "intervals_s": .array(intervals.map { .number($0) }), "io_threads": .integer(threads), "duration_ms": .integer(milliseconds),
            "server": server.map { .string($0.url) } ?? .null,
        ]
        return try Invocation.probe(
            experiment: name, options: probe.matrixOptions, output: output, notes: probe.notes.merging(notes) { $1 },
            metrics: Self.metrics, configurations: probe.shuffled(configurations)
        ) { results in
            let report = GILSwitchReport(results: results, intervals: intervals, kinds: kinds)
            return ExperimentReport(text: report.text, claims: report.claims)
        }
    }

    /// A configuration: Python's carry their switch interval as the size, in µs.
    static func key(_ language: String, _ subject: String, io: String, interval: Double?) -> ProbeKey {
        ProbeKey(language, subject, variant: io, size: interval.map { Int(($0 * 1e6).rounded()) }, sizeUnit: interval == nil ? "" : "us")
    }

    /// The http workload's own server (a bench-worker process), answering after 1 ms.
    static func startServer() throws -> (fixture: any WorkloadFixture, url: String) {
        guard let declaration = WorkloadRegistry.declaration(named: "http"), let fixture = declaration.fixture else {
            throw BenchError.runFailed("the http workload has no server fixture", fix: "this is a bug in bench")
        }
        let values = try declaration.complete(ParameterValues([
            "http-latency-ms": .number(httpLatencyMilliseconds), "http-bytes": .number(httpBytes),
        ]))
        let started = try fixture.start(values)
        return (started, started.resolve(values).text("http-url"))
    }
}
