import Foundation
import Platform

/// What one probe configuration measures: which language's mechanism, which
/// subject (a channel, a hand-off, a Pool call style), which variant of it
/// and at what size. It names a row of the experiment's tables and charts.
public struct ProbeKey: Sendable, Hashable {
    public var language: String
    public var subject: String
    public var variant: String
    /// A message size in bytes, a task size in µs...; nil where none applies.
    public var size: Int?
    public var sizeUnit: String

    public init(_ language: String, _ subject: String, variant: String = "", size: Int? = nil, sizeUnit: String = "") {
        self.language = language
        self.subject = subject
        self.variant = variant
        self.size = size
        self.sizeUnit = sizeUnit
    }

    /// e.g. `swift pipe round-trip 1024 B`, for progress lines and error messages.
    public var label: String {
        [language, subject, variant, size.map { "\($0)\(sizeUnit.isEmpty ? "" : " " + sizeUnit)" } ?? ""]
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// One measured sample of a configuration: a value per metric.
public struct ProbeSample: Sendable {
    public var key: ProbeKey
    /// metric name -> value, e.g. `rtt_p50_us` -> 12.3
    public var values: [String: Double]

    public init(_ key: ProbeKey, _ values: [String: Double]) {
        self.key = key
        self.values = values
    }
}

/// The metrics of an experiment, with their units, in the order of the table.
public struct ProbeMetric: Sendable {
    public let name: String
    public let unit: String

    public init(_ name: String, unit: String) {
        self.name = name
        self.unit = unit
    }
}

/// Every sample of a probe experiment, and the statistics a report takes
/// from them: medians with their order-statistic 95% intervals, and ratios of
/// medians with theirs (Statistics, as every cell's summary).
public struct ProbeResults: Sendable {
    public let samples: [ProbeSample]
    /// Configurations that failed (a party died, a message was lost): no sample of theirs is kept.
    public let failed: Set<ProbeKey>
    /// The machine was busy while measuring: every verdict says so.
    public let disturbed: Bool

    public init(samples: [ProbeSample], failed: Set<ProbeKey> = [], disturbed: Bool = false) {
        self.samples = samples
        self.failed = failed
        self.disturbed = disturbed
    }

    /// A behaviour: 1 when every sample of `key` ran and was verified, 0
    /// when it failed, nil when it was not measured.
    public func verified(_ key: ProbeKey) -> Estimate? {
        if failed.contains(key) { return Estimate(value: 0, interval: 0...0) }
        return samples.contains { $0.key == key } ? Estimate(value: 1, interval: 1...1) : nil
    }

    /// The configurations measured, in the order they were first measured.
    public var keys: [ProbeKey] {
        var seen: Set<ProbeKey> = []
        return samples.map(\.key).filter { seen.insert($0).inserted }
    }

    public func values(_ key: ProbeKey, _ metric: String) -> [Double] {
        samples.filter { $0.key == key }.compactMap { $0.values[metric] }.filter(\.isFinite)
    }

    /// A yes (1) / no (0) outcome of every sample: its lowest value, with the
    /// range of all of them as the interval (a single sample is as certain as many).
    public func behaviour(_ key: ProbeKey, _ metric: String) -> Estimate? {
        let all = values(key, metric)
        guard let low = all.min(), let high = all.max() else { return nil }
        return Estimate(value: low, interval: low...high)
    }

    public func median(_ key: ProbeKey, _ metric: String) -> Estimate? {
        Estimate(median: values(key, metric))
    }

    /// median(numerator) / median(denominator), with the interval.
    public func ratio(_ numerator: (ProbeKey, String), over denominator: (ProbeKey, String)) -> Estimate? {
        Estimate(numerator: values(numerator.0, numerator.1), denominator: values(denominator.0, denominator.1))
    }

    /// The same metric of two configurations.
    public func ratio(_ numerator: ProbeKey, over denominator: ProbeKey, _ metric: String) -> Estimate? {
        ratio((numerator, metric), over: (denominator, metric))
    }
}

/// experiment.csv of a probe experiment, in long form: one row per sample
/// and metric (`record` sample), one per configuration and metric with the
/// median and its 95% interval (`median`), one per claim check (`claim`).
/// Fields hold only letters, digits and . _ = ; : + / % - (plot/style.gp).
public enum ProbeCSV {
    public static let header = [
        "record", "language", "subject", "variant", "size", "size_unit", "metric", "sample", "value", "ci_lo", "ci_hi", "unit",
        "claim_id", "source", "line", "direction", "verdict",
    ]

    static func sampleRows(_ sample: ProbeSample, index: Int, metrics: [ProbeMetric]) -> [[String]] {
        metrics.compactMap { metric in
            guard let value = sample.values[metric.name] else { return nil }
            return row("sample", sample.key, metric, sample: index, value: value, interval: nil)
        }
    }

    static func medianRows(_ results: ProbeResults, metrics: [ProbeMetric]) -> [[String]] {
        results.keys.flatMap { key in
            metrics.compactMap { metric in
                results.median(key, metric.name).map { row("median", key, metric, sample: nil, value: $0.value, interval: $0.interval) }
            }
        }
    }

    static func claimRows(_ checks: [ClaimCheck]) -> [[String]] {
        zip(checks, ClaimCheck.verdicts(checks)).map { check, verdict in
            [
                "claim", check.language, "", "", "", "", "", "", number(check.measured?.value), number(check.measured?.interval?.lowerBound),
                number(check.measured?.interval?.upperBound), "", check.id, check.source, number(check.line),
                check.above ? "above" : "below", verdict.csvValue,
            ]
        }
    }

    private static func row(
        _ record: String, _ key: ProbeKey, _ metric: ProbeMetric, sample: Int?, value: Double, interval: ClosedRange<Double>?
    ) -> [String] {
        [
            record, key.language, key.subject, key.variant, key.size.map(String.init) ?? "", key.sizeUnit, metric.name,
            sample.map(String.init) ?? "", number(value), number(interval?.lowerBound), number(interval?.upperBound), metric.unit,
            "", "", "", "", "",
        ]
    }

    static func number(_ value: Double?) -> String {
        CSVFormat.significant(value)
    }
}
