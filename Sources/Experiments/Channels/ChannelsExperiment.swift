import Engine
import Foundation
import Glibc
import Harness
import Platform
import Workloads

/// How fast the seeds' channels carry messages between two parties, in
/// Swift and in CPython: one way (throughput), there and back (latency),
/// and the seeds' producer/consumer shape of two writers and two readers on
/// one channel, every message received exactly once.
public struct ChannelsExperiment: Experiment {
    public init() {}

    public var name: String { "channels" }
    public var summary: String { "messages of 8 B to 64 KiB through pipes, sockets, queues and streams: throughput, round trips, CPU (Swift and Python)" }
    public var claims: [SeedClaim] { ChannelsReport.claims }

    /// A channel: its name in both tables and CSV, its language, and whether its parties are processes.
    struct Channel: Sendable {
        let name: String
        let language: String
        let summary: String
    }

    static let channels: [Channel] = [
        Channel(name: "pipe", language: "swift", summary: "a pipe pair to a bench-worker process"),
        Channel(name: "socketpair", language: "swift", summary: "a Unix stream socket pair to a bench-worker process"),
        Channel(name: "thread-queue", language: "swift", summary: "a queue of a mutex and a condition variable between two threads"),
        Channel(name: "asyncstream", language: "swift", summary: "an AsyncStream between two tasks"),
        Channel(name: "mp-pipe", language: "python", summary: "multiprocessing.Pipe() to another process"),
        Channel(name: "mp-queue", language: "python", summary: "multiprocessing.Queue to another process"),
        Channel(name: "mp-simplequeue", language: "python", summary: "multiprocessing.SimpleQueue to another process"),
        Channel(name: "manager-queue", language: "python", summary: "multiprocessing.Manager().Queue(), through the manager's process"),
        Channel(name: "queue-queue", language: "python", summary: "queue.Queue between two threads"),
        Channel(name: "asyncio-queue", language: "python", summary: "asyncio.Queue between two tasks"),
    ]

    static let variants = ["one-way", "round-trip", "2x2"]

    static let sizeParameter = ParameterDeclaration.bytes(
        "size", default: 8, range: ProbeMessage.minimumSize...(16 << 20),
        help: "message sizes in bytes, comma-separated (default 8,1024,65536; the 2x2 shape runs at the smallest)")
    static let messagesParameter = ParameterDeclaration.count(
        "messages", default: 20_000, quick: 1_000, range: 10...10_000_000,
        help: "one-way messages per sample up to 4 KiB; a tenth above it, a tenth for round trips (a fortieth above 4 KiB), a tenth again through the manager's queue")
    static let channelParameter = ParameterDeclaration.choice(
        "channel", channels.map(\.name), default: channels[0].name, help: "channels to measure, comma-separated (default all)")
    static let variantParameter = ParameterDeclaration.choice(
        "variant", variants, default: variants[0], help: "one-way, round-trip, 2x2 (two writers, two readers), comma-separated (default all)")
    static let defaultSizes = [8, 1024, 65536]

    public var options: [OptionSpec] {
        [
            ProbeOptions.spec(Self.channelParameter, list: true), ProbeOptions.spec(Self.variantParameter, list: true),
            ProbeOptions.spec(Self.sizeParameter, list: true), ProbeOptions.spec(Self.messagesParameter),
        ] + ProbeOptions.specs
    }

    public var notes: [String] {
        [
            "Channels:\n" + Self.channels.map { "  \($0.name) (\($0.language)): \($0.summary)" }.joined(separator: "\n"),
            "Every message is a fresh buffer made by its sender and checked by its receiver; every sample proves\nthat each message arrived exactly once. CPU per message counts every party's CPU over the span.",
            "Writes experiment.csv: every sample, the medians with 95% intervals, and the claim checks.",
        ]
    }

    static let metrics = [
        ProbeMetric("msgs_per_s", unit: "msg/s"), ProbeMetric("mb_per_s", unit: "MB/s"),
        ProbeMetric("rtt_p50_us", unit: "us"), ProbeMetric("rtt_p99_us", unit: "us"), ProbeMetric("cpu_us_per_msg", unit: "us"),
    ]

    public func run(_ arguments: Arguments, output: Invocation.Output) throws -> ExitCode {
        let names = try arguments.string(Self.channelParameter.flag).map { try Self.channelParameter.parseList($0).compactMap(\.text) }
            ?? Self.channels.map(\.name)
        let variants = try arguments.string(Self.variantParameter.flag).map { try Self.variantParameter.parseList($0).compactMap(\.text) }
            ?? Self.variants
        let sizes = try ProbeOptions.list(arguments, Self.sizeParameter, default: Self.defaultSizes).sorted()
        let probe = try ProbeOptions(arguments, script: "python/seed_channels.py")
        let messages = try ProbeOptions.number(arguments, Self.messagesParameter, quick: probe.quick)
        let selected = Self.channels.filter { names.contains($0.name) && (probe.python != nil || $0.language == "swift") }
        if probe.python == nil && names.contains(where: { name in Self.channels.contains { $0.name == name && $0.language == "python" } }) {
            printNote("note: --no-python: the Python channels are not measured")
        }
        let runs = probe.runs
        var configurations: [ProbeConfiguration] = []
        for channel in selected {
            for variant in variants {
                // Two writers and two readers: the seeds' small values, and whole-message pipe writes.
                for size in variant == "2x2" ? Array(sizes.prefix(1)) : sizes {
                    if variant == "2x2" && (channel.name == "mp-pipe" || channel.name == "socketpair" || channel.name == "asyncstream") { continue }
                    if variant == "2x2" && channel.name == "pipe" && size > Int(PIPE_BUF) { continue }
                    let key = ProbeKey(channel.language, channel.name, variant: variant, size: size, sizeUnit: "B")
                    let (count, warmup) = Self.counts(channel: channel.name, variant: variant, size: size, messages: messages)
                    configurations.append(ProbeConfiguration(key) { [probe] in
                        if channel.language == "python", let python = probe.python {
                            let spec: [String: JSONValue] = [
                                "subject": .string(channel.name), "variant": .string(variant), "size": .integer(size),
                                "count": .integer(count), "warmup": .integer(warmup), "samples": .integer(runs),
                            ]
                            return try python.run(spec, timeoutSeconds: probe.timeoutSeconds).map { ProbeSample(key, $0) }
                        }
                        return try (0..<runs).map { _ in
                            ProbeSample(key, try Self.measureSwift(channel.name, variant: variant, size: size, count: count, warmup: warmup))
                        }
                    })
                }
            }
        }
        return try Invocation.probe(
            experiment: name, options: probe.matrixOptions, output: output, notes: probe.notes.merging(["messages": .integer(messages)]) { $1 },
            metrics: Self.metrics, configurations: probe.shuffled(configurations)
        ) { results in
            let report = ChannelsReport(results: results, sizes: sizes)
            return ExperimentReport(text: report.text, claims: report.claims)
        }
    }

    /// Messages per sample and untimed warmup messages before them.
    static func counts(channel: String, variant: String, size: Int, messages: Int) -> (count: Int, warmup: Int) {
        let big = size > 4096
        var count = switch variant {
        case "one-way": big ? messages / 10 : messages
        case "round-trip": big ? messages / 40 : messages / 10
        default: messages
        }
        if channel == "manager-queue" { count /= variant == "round-trip" ? 4 : 10 }
        count = max(10, count)
        return (count, variant == "2x2" ? 0 : min(100, max(1, count / 10)))
    }

    /// One sample of a Swift channel: its metrics.
    static func measureSwift(_ channel: String, variant: String, size: Int, count: Int, warmup: Int) throws -> [String: Double] {
        let span: SwiftChannels.Span
        switch (channel, variant) {
        case ("pipe", "one-way"), ("socketpair", "one-way"):
            span = try SwiftChannels.processOneWay(socket: channel == "socketpair", size: size, count: count, warmup: warmup)
        case ("pipe", "round-trip"), ("socketpair", "round-trip"):
            span = try SwiftChannels.processRoundTrips(socket: channel == "socketpair", size: size, count: count, warmup: warmup)
        case ("pipe", _):
            span = try SwiftChannels.pipeTwoByTwo(size: size, count: count)
        case ("thread-queue", "one-way"):
            span = try SwiftChannels.threadOneWay(size: size, count: count, warmup: warmup)
        case ("thread-queue", "round-trip"):
            span = try SwiftChannels.threadRoundTrips(size: size, count: count, warmup: warmup)
        case ("thread-queue", _):
            span = try SwiftChannels.threadTwoByTwo(size: size, count: count)
        case ("asyncstream", "one-way"):
            span = try SwiftChannels.streamOneWay(size: size, count: count, warmup: warmup)
        default:
            span = try SwiftChannels.streamRoundTrips(size: size, count: count, warmup: warmup)
        }
        if variant == "round-trip" {
            let sorted = span.roundTrips.sorted()
            return [
                "rtt_p50_us": Statistics.quantile(sorted, 0.5) * 1e6, "rtt_p99_us": Statistics.quantile(sorted, 0.99) * 1e6,
                "cpu_us_per_msg": span.cpuSeconds / Double(count) * 1e6,
            ]
        }
        var values = ["msgs_per_s": Double(count) / span.seconds, "mb_per_s": Double(count * size) / span.seconds / 1e6]
        if variant == "one-way" { values["cpu_us_per_msg"] = span.cpuSeconds / Double(count) * 1e6 }
        return values
    }
}
