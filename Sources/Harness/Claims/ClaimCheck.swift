import Foundation
import Platform

/// One seed claim put to the measurements: what it predicts, in terms a
/// measurement can settle, the measurement with its interval, and the verdict.
public struct ClaimCheck: Sendable {
    /// A short identifier for experiment.csv, e.g. `cpu-threads-no-faster`.
    public let id: String
    /// The claim in the seed's words (translated).
    public let claim: String
    /// The seed file it comes from.
    public let source: String
    /// What the claim predicts, e.g. `python-thread xor speedup at 2 < 1.25`.
    public let prediction: String
    /// `python` or `swift`: whose measurement this is.
    public let language: String
    public let measured: Estimate?
    /// The claim predicts the measurement lies above `line` (or below it).
    public let line: Double
    public let above: Bool

    public init(
        id: String, claim: String, source: String, prediction: String, language: String, measured: Estimate?, line: Double,
        above: Bool
    ) {
        self.id = id
        self.claim = claim
        self.source = source
        self.prediction = prediction
        self.language = language
        self.measured = measured
        self.line = line
        self.above = above
    }

    /// The check of `claim`, in its words and with its source.
    public init(id: String, claim: SeedClaim, prediction: String, language: String, measured: Estimate?, line: Double, above: Bool) {
        self.init(
            id: id, claim: claim.text, source: claim.source, prediction: prediction, language: language, measured: measured, line: line,
            above: above)
    }

    /// The two-sided p-value of "the measurement lies on the line": the
    /// smallest miss at which its interval excludes the line.
    public var pValue: Double {
        measured?.pValue(against: line) ?? 1
    }

    /// The verdicts of an experiment's checks as one family: a claim holds (or
    /// does not) only when its 95% interval lies wholly on one side of its
    /// line and its p-value survives Holm's correction over every check.
    public static func verdicts(_ checks: [ClaimCheck]) -> [ClaimVerdict] {
        let adjusted = HolmCorrection.adjust(checks.map(\.pValue))
        return zip(checks, adjusted).map { check, p in
            p <= 1 - OrderStatistics.nominalLevel ? ClaimVerdict.judge(check.measured?.interval, above: check.line, check.above) : .inconclusive
        }
    }
}

/// experiment.csv rows of an experiment's claim checks (those that write
/// nothing else, and the probes' `claim` records use the same verdicts).
public enum ClaimsTable {
    public static let csvHeader = ["claim_id", "source", "language", "value", "ci_lo", "ci_hi", "line", "direction", "verdict"]

    /// experiment.csv of an experiment that writes nothing but its checks.
    public static func csv(_ checks: [ClaimCheck]) -> String {
        ([CSVFormat.line(csvHeader)] + csvLines(checks)).joined(separator: "\n") + "\n"
    }

    public static func csvLines(_ checks: [ClaimCheck]) -> [String] {
        zip(checks, ClaimCheck.verdicts(checks)).map { check, verdict in
            CSVFormat.line([
                check.id, check.source, check.language, CSVFormat.decimal(check.measured?.value, places: 4),
                CSVFormat.decimal(check.measured?.interval?.lowerBound, places: 4),
                CSVFormat.decimal(check.measured?.interval?.upperBound, places: 4),
                CSVFormat.decimal(check.line, places: 4), check.above ? "above" : "below", verdict.csvValue,
            ])
        }
    }
}
