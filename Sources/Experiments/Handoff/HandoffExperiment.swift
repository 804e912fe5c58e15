import Engine
import Foundation
import Harness
import Platform
import Workloads

/// What passing control to another party and back costs: the seed's claim
/// that coroutines switch for free while threads pay, measured as ns per
/// hand-off of a ping-pong, beside a plain call, in Swift and CPython.
public struct HandoffExperiment: Experiment {
    public init() {}

    public var name: String { "handoff" }
    public var summary: String { "ping-pong between two parties: generator send, asyncio, async tasks, threads, processes (ns per hand-off)" }
    public var claims: [SeedClaim] { HandoffReport.claims }

    /// A hand-off mechanism, and how many round trips it makes per `--rounds` (cheap ones many more).
    struct Mechanism: Sendable {
        let name: String
        let language: String
        let summary: String
        let factor: Int
    }

    static let mechanisms: [Mechanism] = [
        Mechanism(name: "call", language: "swift", summary: "a call through an opaque closure and its return (baseline)", factor: 1_000),
        Mechanism(name: "async-tasks", language: "swift", summary: "two tasks, each suspended on a continuation the other resumes", factor: 10),
        Mechanism(name: "thread-condition", language: "swift", summary: "two threads taking turns on a mutex and a condition variable", factor: 1),
        Mechanism(name: "process-pipe", language: "swift", summary: "two processes on a pipe pair (bench-worker echo), 8 bytes", factor: 1),
        Mechanism(name: "call", language: "python", summary: "a function call and its return (baseline)", factor: 50),
        Mechanism(name: "generator-send", language: "python", summary: "the seed's coroutine: a generator driven by send()", factor: 50),
        Mechanism(name: "asyncio-tasks", language: "python", summary: "two asyncio tasks, each awaiting a Future the other resolves", factor: 2),
        Mechanism(name: "thread-condition", language: "python", summary: "two threads taking turns on a threading.Condition", factor: 1),
        Mechanism(name: "process-pipe", language: "python", summary: "two processes on two os.pipe()s, 8 bytes", factor: 1),
    ]

    static let roundsParameter = ParameterDeclaration.count(
        "rounds", default: 20_000, quick: 500, range: 10...100_000_000,
        help: "round trips per sample of the threads and processes; 2 to 1,000 times as many for the cheaper mechanisms")
    static let mechanismParameter = ParameterDeclaration.choice(
        "mechanism", Array(Set(mechanisms.map(\.name))).sorted(), default: "call", help: "mechanisms to measure, comma-separated (default all)")

    public var options: [OptionSpec] {
        [ProbeOptions.spec(Self.mechanismParameter, list: true), ProbeOptions.spec(Self.roundsParameter)] + ProbeOptions.specs
    }

    public var notes: [String] {
        [
            "Mechanisms (round trips per sample = --rounds x the factor):\n"
                + Self.mechanisms.map { "  \($0.name) (\($0.language), x\($0.factor)): \($0.summary)" }.joined(separator: "\n"),
            "A round trip is two hand-offs; ns per hand-off = the span / (2 x round trips), CPU likewise (both parties).",
        ]
    }

    static let metrics = [ProbeMetric("ns_per_handoff", unit: "ns"), ProbeMetric("cpu_ns_per_handoff", unit: "ns")]

    public func run(_ arguments: Arguments, output: Invocation.Output) throws -> ExitCode {
        let names = try arguments.string(Self.mechanismParameter.flag).map { try Self.mechanismParameter.parseList($0).compactMap(\.text) }
        let probe = try ProbeOptions(arguments, script: "python/seed_handoff.py")
        let rounds = try ProbeOptions.number(arguments, Self.roundsParameter, quick: probe.quick)
        let runs = probe.runs
        let configurations = Self.mechanisms.filter { (names?.contains($0.name) ?? true) && (probe.python != nil || $0.language == "swift") }.map { mechanism in
            let key = ProbeKey(mechanism.language, mechanism.name)
            let count = rounds * mechanism.factor
            return ProbeConfiguration(key) {
                if mechanism.language == "python", let python = probe.python {
                    let spec: [String: JSONValue] = ["subject": .string(mechanism.name), "count": .integer(count), "samples": .integer(runs)]
                    return try python.run(spec, timeoutSeconds: probe.timeoutSeconds).map { ProbeSample(key, $0) }
                }
                return try (0..<runs).map { _ in
                    let span: SwiftHandoffs.Span = switch mechanism.name {
                    case "call": try SwiftHandoffs.call(count: count)
                    case "async-tasks": try SwiftHandoffs.asyncTasks(count: count)
                    case "thread-condition": try SwiftHandoffs.threadCondition(count: count)
                    default: try SwiftHandoffs.processPipe(count: count)
                    }
                    return ProbeSample(key, [
                        "ns_per_handoff": span.seconds * 1e9 / Double(2 * count), "cpu_ns_per_handoff": span.cpuSeconds * 1e9 / Double(2 * count),
                    ])
                }
            }
        }
        return try Invocation.probe(
            experiment: name, options: probe.matrixOptions, output: output,
            notes: probe.notes.merging(["rounds": .integer(rounds)]) { $1 }, metrics: Self.metrics,
            configurations: probe.shuffled(configurations)
        ) { results in
            let report = HandoffReport(results: results)
            return ExperimentReport(text: report.text, claims: report.claims)
        }
    }
}

/// The handoff experiment's table and claim checks.
struct HandoffReport {
    static let noCost = SeedClaim("coroutines are switched by the program itself and need no thread switch: their switching costs nothing", source: SeedFile.seed004)
    static let threadsPay = SeedClaim("threads pay for switching, so coroutines run much more efficiently than threads", source: SeedFile.seed004)
    static let claims = [noCost, threadsPay]

    let results: ProbeResults

    /// The claims table: printed, written to claims.csv and exported.
    var claims: ClaimsReport {
        ClaimsReport(title: "handoff: the seed's claims, measured", checks: checks)
    }

    var checks: [ClaimCheck] {
        func key(_ language: String, _ name: String) -> ProbeKey { ProbeKey(language, name) }
        var checks: [ClaimCheck] = []
        for (language, coroutine) in [("python", "generator-send"), ("python", "asyncio-tasks"), ("swift", "async-tasks")] {
            checks.append(ClaimCheck(
                id: "no-switch-cost-\(coroutine)", claim: Self.noCost,
                prediction: "\(coroutine) hand-off / a call and its return < 2", language: language,
                measured: results.ratio(key(language, coroutine), over: key(language, "call"), "ns_per_handoff"), line: 2, above: false))
        }
        for (language, coroutine) in [("python", "generator-send"), ("python", "asyncio-tasks"), ("swift", "async-tasks")] {
            checks.append(ClaimCheck(
                id: "threads-pay-\(coroutine)", claim: Self.threadsPay,
                prediction: "thread-condition hand-off / \(coroutine)'s > 1", language: language,
                measured: results.ratio(key(language, "thread-condition"), over: key(language, coroutine), "ns_per_handoff"), line: 1, above: true))
        }
        return checks
    }

    var text: String {
        let order = HandoffExperiment.mechanisms.map { "\($0.language) \($0.name)" }
        let rows = results.keys.sorted { (order.firstIndex(of: $0.label) ?? 0) < (order.firstIndex(of: $1.label) ?? 0) }.map { key -> [String] in
            let call = results.median(ProbeKey(key.language, "call"), "ns_per_handoff")?.value
            let median = results.median(key, "ns_per_handoff")
            return [
                key.language, key.subject, median?.description(places: 1) ?? "-",
                results.median(key, "cpu_ns_per_handoff").map { String(format: "%.1f", $0.value) } ?? "-",
                call.flatMap { c in median.map { String(format: "%.1f", $0.value / c) } } ?? "-",
            ]
        }
        var text = "\nhandoff: ping-pong between two parties, medians [95% CI] (a round trip is two hand-offs)\n"
        text += TextTable(header: ["language", "mechanism", "ns per hand-off", "CPU ns", "x a call"], rows: rows, leftAligned: [0, 1]).render() + "\n"
        return text + claims.render(disturbed: results.disturbed)
    }
}
