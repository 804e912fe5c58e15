import Foundation

/// How a run's comparisons are judged and marked: the margin within which
/// two models count as equivalent (`--margin`), the family Holm's correction
/// runs over, and whether the machine was busy while measuring.
public struct VerdictPolicy: Sendable {
    public static let defaultMargin = 0.02
    /// What `--margin` accepts: [0, 50)%.
    public static func accepts(margin: Double) -> Bool { margin >= 0 && margin < 0.5 }

    /// A winner whose whole interval lies within this of 1 is "equivalent", not "beat".
    public var margin = VerdictPolicy.defaultMargin
    public var family = Family.group
    /// The run was measured on a busy machine (`MachineLoad`): every verdict says so.
    public var disturbed = false

    /// Which comparisons Holm's correction treats as one family.
    public enum Family: Sendable {
        /// A group's comparisons (one workload, parameters and task count: its worker counts).
        case group
        /// Every comparison of the run (crossover's map).
        case run
    }

    public init(margin: Double = VerdictPolicy.defaultMargin, family: Family = .group, disturbed: Bool = false) {
        self.margin = margin
        self.family = family
        self.disturbed = disturbed
    }

    /// `2%`, `0.5%`.
    public var marginPercent: String {
        String(format: "%g%%", margin * 100)
    }

    /// What every verdict of a disturbed run ends with.
    public var mark: String {
        disturbed ? Self.disturbedMark : ""
    }

    public static let disturbedMark = " [disturbed run]"
}
