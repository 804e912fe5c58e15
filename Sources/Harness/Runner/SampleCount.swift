import Engine

/// How many measured samples each cell takes: a fixed number (`--runs N`),
/// or as many as its interval needs (`--runs auto`, the default).
public enum SampleCount: Sendable, Equatable, CustomStringConvertible {
    case fixed(Int)
    case auto

    /// `5` or `auto`.
    public var description: String {
        switch self {
        case let .fixed(count): String(count)
        case .auto: "auto"
        }
    }

    /// The fixed count; nil for `auto`.
    public var fixedCount: Int? {
        if case let .fixed(count) = self { return count }
        return nil
    }
}

/// `--runs auto`: sample each cell in rounds until the interval of its median
/// is within `precision` (half its width over the median), starting from the
/// samples a verdict needs, and stop sooner at `maxRuns` samples, at
/// `maxTimeSeconds` of its own measuring, or when the run as a whole has
/// measured for `budgetSeconds`. Never below 6 samples: the fewest with a 95%
/// interval. A cell that stopped without reaching the precision is marked in
/// the table.
///
/// The stopping rule looks only at the width of a cell's own interval, never
/// at a comparison's outcome: sampling "until it is significant" would make
/// every p-value a lie.
public struct AutoSampling: Sendable {
    public static let defaultPrecision = 0.02
    public static let defaultMaxRuns = 20
    public static let defaultBudgetSeconds = 100.0

    /// Half-width of the median's interval, as a fraction of the median: 0.02 is ±2%.
    public var precision = AutoSampling.defaultPrecision
    public var maxRuns = AutoSampling.defaultMaxRuns
    /// Seconds of measuring the whole run may spend before cells take nothing beyond their minimum.
    public var budgetSeconds: Double? = AutoSampling.defaultBudgetSeconds
    /// Samples an experiment's claims need to be decided (its family under Holm's correction); nil: the 6 of an interval.
    public var claimsMinimum: Int?

    public init() {}

    /// The samples per cell with which each of `checks` claims, each a ratio
    /// of two cells' medians, can be decided under Holm's correction: the
    /// two medians' [min, max] together must miss with at most 5% / checks.
    public static func minimum(forClaims checks: Int) -> Int {
        OrderStatistics.minimumCount(forMiss: (1 - OrderStatistics.nominalLevel) / Double(2 * max(1, checks)))
    }

    /// What `--precision` accepts: (0, 50]%.
    public static func accepts(precision: Double) -> Bool { precision > 0 && precision <= 0.5 }

    /// The samples every cell of `plan` takes before the precision is
    /// looked at: 6, or more where a family of comparisons corrected by Holm
    /// needs them to reach a verdict at all. With m comparisons a unanimous
    /// sign test must reach p ≤ 5% / m: 8 rounds for the 5 worker counts of
    /// the default matrix. Bounded by `maxRuns`.
    public func minimumRuns(for plan: MatrixPlan) -> Int {
        let family = Self.headToHeadFamily(plan)
        let verdicts = family > 1 ? OrderStatistics.minimumCount(forMiss: (1 - OrderStatistics.nominalLevel) / Double(family)) : 0
        return min(maxRuns, max(OrderStatistics.minimumCount, verdicts, claimsMinimum ?? 0))
    }

    /// The largest family of head-to-head comparisons `plan` will make: per
    /// group, one per language and worker count that has two models or more
    /// (the whole run when its verdicts form one family, as crossover's map).
    static func headToHeadFamily(_ plan: MatrixPlan) -> Int {
        let languages = ModelLanguages.catalog
        var contests: [CellGroup: [String: Int]] = [:]
        for cell in plan.cells {
            contests[CellGroup(cell), default: [:]]["\(languages.baseline(of: cell.model)) \(cell.shape.workers)", default: 0] += 1
        }
        let sizes = contests.values.map { $0.values.filter { $0 >= 2 }.count }
        return plan.options.verdictFamily == .run ? sizes.reduce(0, +) : sizes.max() ?? 0
    }

    /// Whether a cell with `walls` so far takes another sample: always below
    /// 6 and below an experiment's `claimsMinimum`; never at `maxRuns`, past
    /// `maxTimeSeconds` of its own measuring or the run's `budgetSeconds`;
    /// otherwise while below `minimum` or while its interval is wider than `precision`.
    public func needsAnother(
        walls: [Double], minimum: Int, measuredSeconds: Double, maxTimeSeconds: Double?, elapsedSeconds: Double
    ) -> Bool {
        let count = walls.count
        if count < OrderStatistics.minimumCount { return true }
        if count >= maxRuns { return false }
        // An experiment exists to decide its claims: neither bound cuts a cell
        // below what they need (seed-400 and the crawler had stopped at 6 when
        // their budget ran out, and printed "no interval" for every claim).
        if let claimsMinimum, count < claimsMinimum { return true }
        if let maxTimeSeconds, measuredSeconds >= maxTimeSeconds { return false }
        if let budgetSeconds, elapsedSeconds >= budgetSeconds { return false }
        if count < minimum { return true }
        guard let median = Statistics.median(walls), let interval = OrderStatistics.medianInterval(walls) else { return true }
        return interval.relativeHalfWidth(around: median) > precision
    }
}
