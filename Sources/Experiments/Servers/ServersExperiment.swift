import Foundation
import Harness
import Platform
import Servers

/// Which concurrency model should my server use? Seed 004 closes on web
/// frameworks: most Python frameworks are prefork, and a global variable in
/// a prefork server is one copy per process. This experiment puts every
/// server model (Swift's and CPython's, `ServerModelRegistry`) under the same
/// handler and the same load: wrk's saturation, bench's open-loop generator
/// at fixed fractions of it (latency from each request's intended send
/// time), memory (PSS) and idle keep-alive connections held; and it counts
/// requests with a global to show the pitfall and its fix.
public struct ServersExperiment: Experiment {
    public init() {}

    public var name: String { "servers" }
    public var summary: String {
        "server models (threads, pools, prefork, epoll, async; Swift and CPython) under wrk and open-loop load: req/s, latency, memory, idle connections, the prefork global"
    }
    public var claims: [SeedClaim] { ServersReport.claims }

    /// The shared probe options, with this experiment's own defaults for --runs and --quick.
    public var options: [OptionSpec] {
        ServersPlan.options + ProbeOptions.specs.map { spec in
            switch spec.name {
            case "--runs": OptionSpec("--runs", value: "N", help: "wrk runs, idle-connection and /count samples per model (default \(ServersPlan.defaultRuns), enough for a ratio claim to survive Holm's correction; --quick 2)")
            case "--quick": OptionSpec("--quick", help: "5 models, one small mixed handler, 2 samples, short loads: a smoke test, not a measurement")
            default: spec
            }
        }
    }

    public var notes: [String] {
        [
            "Server models (each in a process of its own on 127.0.0.1, stopped and reaped before the next):\n"
                + ServerModelRegistry.swift.map { "  \($0.name): \($0.summary)" }.joined(separator: "\n") + "\n"
                + ServerModelRegistry.python.map { "  \($0.name): \($0.summary)" }.joined(separator: "\n"),
            "Handlers: GET /task/<n> is the profile workload's task n: cpu computes 1 ms, io waits 10 ms, mixed does 0.5 ms + 5 ms;\nevery answer's bytes are known in advance and the open-loop generator checks each one.",
            "Per model and handler: wrk -t2 -c64 for --seconds (--runs times): saturation req/s, and PSS summed over the server's\nprocesses right after; then bench's open-loop generator at --loads % of that model's own saturation, latency timed from\neach request's intended send time (coordinated omission corrected, as wrk2). A level the generator could not keep to\nschedule is marked generator-limited, never passed off as the server's.",
            "Per model: --connections idle keep-alive connections (one request each), how many stay held, PSS with them;\nand GET /count --count-requests times on fresh connections with a process-local and a shared counter.",
            "--quick: 5 models, one small mixed handler, 2 samples, 100 connections: a smoke test, not a measurement.",
        ]
    }

    static let metrics = [
        ProbeMetric("wrk_rps", unit: "req/s"), ProbeMetric("wrk_p99_ms", unit: "ms"), ProbeMetric("wrk_errors", unit: "requests"),
        ProbeMetric("pss_mib", unit: "MiB"), ProbeMetric("rps_per_mib", unit: "req/s/MiB"),
        ProbeMetric("offered_rps", unit: "req/s"), ProbeMetric("achieved_rps", unit: "req/s"), ProbeMetric("p50_ms", unit: "ms"),
        ProbeMetric("p99_ms", unit: "ms"), ProbeMetric("p999_ms", unit: "ms"), ProbeMetric("errors", unit: "requests"),
        ProbeMetric("send_lag_p99_ms", unit: "ms"), ProbeMetric("kept_schedule", unit: "yes"),
        ProbeMetric("held", unit: "connections"), ProbeMetric("pss_idle_mib", unit: "MiB"), ProbeMetric("pss_held_mib", unit: "MiB"),
        ProbeMetric("held_per_mib", unit: "connections/MiB"), ProbeMetric("kib_per_connection", unit: "KiB"),
        ProbeMetric("processes_seen", unit: "processes"), ProbeMetric("largest_fraction", unit: "fraction"), ProbeMetric("sum_fraction", unit: "fraction"),
        ProbeMetric("count_rps", unit: "req/s"), ProbeMetric("increment_ns", unit: "ns"),
    ]

    public func run(_ arguments: Arguments, output: Invocation.Output) throws -> ExitCode {
        let probe = try ProbeOptions(arguments, script: ServerModelRegistry.python[0].script)
        let plan = try ServersPlan(arguments, probe: probe)
        var options = probe.matrixOptions
        options.runs = .fixed(plan.runs)
        let measure = ServersMeasurements(plan: plan)
        var configurations: [ProbeConfiguration] = []
        for model in plan.models {
            let language = plan.language(model)
            for handler in plan.handlers {
                configurations.append(ProbeConfiguration(ProbeKey(language, model, variant: handler.name)) { try measure.load(model, handler) })
            }
            configurations.append(ProbeConfiguration(ProbeKey(language, model, variant: "idle")) { try measure.capacity(model) })
            configurations.append(ProbeConfiguration(ProbeKey(language, model, variant: "count")) { try measure.counter(model) })
        }
        configurations.append(ProbeConfiguration(ProbeKey("swift", "load-generators", variant: "ceiling")) { try measure.generators() })
        return try Invocation.probe(
            experiment: name, options: options, output: output, notes: probe.notes.merging(plan.notes) { $1 }, metrics: Self.metrics,
            configurations: probe.shuffled(configurations)
        ) { results in
            let report = ServersReport(results: results, plan: plan)
            return ExperimentReport(text: report.text, claims: report.claims)
        }
    }
}
