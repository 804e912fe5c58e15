import Engine
import Foundation
import Harness

/// The crossover experiment's answers: per language, width and point the
/// fastest model and its margin, where a pool overtakes threads as the CPU
/// share grows, where results grow too large for pools at 100% CPU; on the
/// terminal, and as experiment.csv for plot/experiment-crossover.gp.
struct CrossoverReport {
    let results: InvocationResults
    let configuration: CrossoverConfiguration
    let cores: Int
    /// The fastest model against the runner-up, per contest.
    let contests: [Contest: HeadToHead]

    /// One language at one width at one point of the map.
    struct Contest: Hashable {
        let language: String
        let workers: Int
        let point: CrossoverConfiguration.Point
    }

    init(results: InvocationResults, configuration: CrossoverConfiguration, cores: Int) {
        self.results = results
        self.configuration = configuration
        self.cores = cores
        var contests: [Contest: HeadToHead] = [:]
        for verdict in results.verdicts {
            let contest = Contest(
                language: Self.language(verdict.fastest.model), workers: verdict.workers, point: .init(verdict.fastest))
            contests[contest] = verdict
        }
        self.contests = contests
    }

    static func language(_ model: String) -> String {
        model.hasPrefix("python-") ? "python" : "swift"
    }

    /// The languages measured, Swift first.
    var languages: [String] {
        ["swift", "python"].filter { language in configuration.models.contains { Self.language($0) == language } }
    }

    private func prefix(_ language: String) -> String {
        language == "python" ? "python-" : ""
    }

    private func cell(_ model: String, workers: Int, at point: CrossoverConfiguration.Point) -> Cell? {
        results.cell(model, "profile", workers: workers) { CrossoverConfiguration.Point($0) == point }
    }

    /// The points at one result size, by CPU share.
    private func shares(at bytes: Int) -> [CrossoverConfiguration.Point] {
        configuration.points.filter { $0.resultBytes == bytes }.sorted()
    }

    // MARK: - Crossings

    /// How a ratio of walls (incumbent / challenger: above 1, the challenger is faster) moves along one axis.
    struct Crossing {
        let steps: [(label: String, position: Double, ratio: Estimate?)]

        /// Each step's verdict, its steps judged as one family (Holm): clear only
        /// when the interval excludes 1 and the p-value survives the correction.
        var verdicts: [ClaimVerdict] {
            let adjusted = HolmCorrection.adjust(steps.map { $0.ratio?.pValue(against: 1) })
            return zip(steps, adjusted).map { step, p in
                p <= 1 - OrderStatistics.nominalLevel ? ClaimVerdict.judge(step.ratio?.interval, above: 1) : .inconclusive
            }
        }

        /// The first step where the challenger is clearly faster and is never
        /// clearly slower after it: where it has overtaken for good, if anywhere.
        var firstWin: Int? {
            let verdicts = verdicts
            let after = (verdicts.lastIndex(of: .doesNotHold) ?? -1) + 1
            return verdicts[after...].firstIndex(of: .holds)
        }

        /// The first step where the challenger is clearly slower and is never
        /// clearly faster after it.
        var firstLoss: Int? {
            let verdicts = verdicts
            let after = (verdicts.lastIndex(of: .holds) ?? -1) + 1
            return verdicts[after...].firstIndex(of: .doesNotHold)
        }

        /// The position where the median ratio last crosses 1 (upward: from
        /// at most 1 to above it) before step `end`, linear between two steps.
        func crossing(upward: Bool, before end: Int) -> Double? {
            for index in (0..<end).reversed() {
                guard let low = steps[index].ratio?.value, let high = steps[index + 1].ratio?.value else { continue }
                if upward ? (low <= 1 && high > 1) : (low >= 1 && high < 1) {
                    let fraction = (1 - low) / (high - low)
                    return steps[index].position + fraction * (steps[index + 1].position - steps[index].position)
                }
            }
            return nil
        }

        /// `0% 0.81, 25% 0.95, ...`: each step's median ratio, `*` where it is clear (`verdicts`).
        var trail: String {
            zip(steps, verdicts).map { step, verdict in
                guard let ratio = step.ratio else { return "\(step.label) -" }
                return "\(step.label) " + String(format: "%.2f", ratio.value) + (verdict != .inconclusive ? "*" : "")
            }.joined(separator: ", ")
        }
    }

    /// thread / process-pool walls against the CPU share, at the smallest results.
    func poolOvertaking(_ language: String, workers: Int) -> Crossing {
        let bytes = configuration.resultSizes.first ?? 0
        return Crossing(steps: shares(at: bytes).map { point in
            ("\(point.cpuPercent)%", Double(point.cpuPercent), results.ratio(
                cell(prefix(language) + "thread", workers: workers, at: point),
                over: cell(prefix(language) + "process-pool", workers: workers, at: point)))
        })
    }

    /// thread / process-pool walls against the result size, at 100% CPU (log2 of the size as position).
    func poolLosing(_ language: String, workers: Int) -> Crossing {
        let computing = 1000 * configuration.taskMilliseconds
        return Crossing(steps: configuration.resultSizes.map { bytes in
            let point = CrossoverConfiguration.Point(cpuMicroseconds: computing, waitMilliseconds: 0, resultBytes: bytes)
            return (CrossoverConfiguration.size(bytes), log2(Double(max(bytes, 1))), results.ratio(
                cell(prefix(language) + "thread", workers: workers, at: point),
                over: cell(prefix(language) + "process-pool", workers: workers, at: point)))
        })
    }

    func overtakingSentence(_ crossing: Crossing) -> String {
        guard crossing.steps.contains(where: { $0.ratio != nil }) else { return "not measured" }
        guard let first = crossing.firstWin else { return "never clearly" }
        if first == 0 { return "at every share, 0% included" }
        let near = crossing.crossing(upward: true, before: first).map { String(format: " (medians cross near %.0f%%)", $0) } ?? ""
        return "from \(crossing.steps[first].label) CPU\(near)"
    }

    func losingSentence(_ crossing: Crossing) -> String {
        guard crossing.steps.contains(where: { $0.ratio != nil }) else { return "not measured" }
        guard let first = crossing.firstLoss else {
            return "not clearly, up to \(crossing.steps.last?.label ?? "-")"
        }
        if first == 0 { return "at every size, \(crossing.steps[0].label) included" }
        let near = crossing.crossing(upward: false, before: first).map { " (medians cross near \(Self.roughSize(pow(2, $0))))" } ?? ""
        return "from \(crossing.steps[first].label)\(near)"
    }

    /// `240 KiB`, `3 MiB`, `700 B`: a size read off an interpolation, to two figures.
    static func roughSize(_ bytes: Double) -> String {
        let (value, unit) = bytes >= Double(1 << 20) ? (bytes / Double(1 << 20), "MiB") : bytes >= 1024 ? (bytes / 1024, "KiB") : (bytes, "B")
        let figures = value >= 100 ? (value / 10).rounded() * 10 : value.rounded()
        return "\(Int(figures)) \(unit)"
    }

    // MARK: - Output

    /// `2 workers (the core count)`, `8 workers (4 x the cores)`.
    func widthLabel(_ workers: Int) -> String {
        let times = workers % cores == 0 ? workers / cores : nil
        let relation = times == 1 ? "the core count" : times.map { "\($0) x the cores" } ?? "\(cores) cores"
        return "\(workers) worker\(workers == 1 ? "" : "s") (\(relation))"
    }

    func table() -> String {
        let mark = results.disturbed ? VerdictPolicy.disturbedMark : ""
        var text = "\ncrossover: the fastest model per point, tasks of \(configuration.taskMilliseconds) ms (computing + waiting), \(configuration.tasks) tasks per cell\(mark)\n"
        text += "  entry: the fastest model and its margin over the runner-up (paired median ratio); ≈ before the margin when\n"
        text += "  the whole 95% interval lies within ±\(results.policy.marginPercent) of 1 (equivalent); (in brackets) when there is no clear winner:\n"
        text += "  the interval covers 1, has too few samples, or its sign-test p does not survive Holm's correction\n"
        text += "  over the \(contests.count) comparisons of the map. Columns: CPU share; rows: result size.\n"
        for language in languages {
            for workers in configuration.widths {
                text += "\n\(language == "python" ? "Python" : "Swift") at \(widthLabel(workers))\n"
                let sharesRow = shares(at: configuration.resultSizes.first ?? 0)
                let header = ["result"] + sharesRow.map { "\($0.cpuPercent)% CPU" }
                let rows = configuration.resultSizes.map { bytes in
                    [CrossoverConfiguration.size(bytes)] + shares(at: bytes).map { point -> String in
                        guard let verdict = contests[Contest(language: language, workers: workers, point: point)] else { return "-" }
                        // The table's heading names the language: python-thread is "thread" here.
                        let model = HeadToHead.name(verdict.fastest)
                        let name = model.hasPrefix("python-") ? String(model.dropFirst(7)) : model
                        let margin = String(format: "%.2fx", verdict.ratio.value)
                        switch verdict.outcome {
                        case .beat: return "\(name) \(margin)"
                        case .equivalent: return "\(name) ≈\(margin)"
                        case .noClearWinner, .tooFewSamples: return "(\(name) \(margin))"
                        }
                    }
                }
                text += TextTable(header: header, rows: rows, leftAligned: Set(0..<header.count)).render() + "\n"
            }
        }
        text += "\nprocess-pool against thread (thread wall / pool wall per step; * where the 95% interval excludes 1 and its\np-value survives Holm's correction over the steps of its line)\(mark)\n"
        var rows: [[String]] = []
        for language in languages {
            for workers in configuration.widths {
                let overtaking = poolOvertaking(language, workers: workers)
                let losing = poolLosing(language, workers: workers)
                rows.append([
                    language == "python" ? "Python" : "Swift", String(workers),
                    overtakingSentence(overtaking), losingSentence(losing),
                ])
                rows.append(["", "", "  " + overtaking.trail, "  " + losing.trail])
            }
        }
        let sizes = "\(CrossoverConfiguration.size(configuration.resultSizes.first ?? 0)) results"
        text += TextTable(
            header: ["language", "workers", "pool overtakes threads (\(sizes))", "pool loses to threads (100% CPU)"], rows: rows,
            leftAligned: [0, 2, 3]
        ).render() + "\n"
        return text
    }

    /// The verdict column: `clear` (a winner), `equivalent`, or `inconclusive`.
    static func csvVerdict(_ outcome: HeadToHead.Outcome) -> String {
        switch outcome {
        case .beat: "clear"
        case .equivalent: "equivalent"
        case .noClearWinner, .tooFewSamples: "inconclusive"
        }
    }

    static let csvHeader = [
        "language", "workers", "cpu_share", "cpu_us", "wait_ms", "result_bytes", "model", "wall_median_s", "speedup",
        "speedup_ci_lo", "speedup_ci_hi", "winner", "margin", "margin_ci_lo", "margin_ci_hi", "verdict",
    ]

    /// One row per competing cell: its speedup, and its point's winner and margin.
    func csv() -> String {
        var lines = [CSVFormat.line(Self.csvHeader)]
        for summary in results.summaries where configuration.models.contains(summary.cell.model) {
            let cell = summary.cell
            let point = CrossoverConfiguration.Point(cell)
            let verdict = contests[Contest(language: Self.language(cell.model), workers: cell.shape.workers, point: point)]
            lines.append(CSVFormat.line([
                Self.language(cell.model), String(cell.shape.workers), String(point.cpuPercent), String(point.cpuMicroseconds),
                String(point.waitMilliseconds), String(point.resultBytes), cell.model, CSVFormat.seconds(summary.wall.median),
                CSVFormat.decimal(summary.speedup, places: 4), CSVFormat.decimal(summary.speedupInterval?.lowerBound, places: 4),
                CSVFormat.decimal(summary.speedupInterval?.upperBound, places: 4), verdict?.fastest.model ?? "",
                CSVFormat.decimal(verdict?.ratio.value, places: 4), CSVFormat.decimal(verdict?.ratio.interval?.lowerBound, places: 4),
                CSVFormat.decimal(verdict?.ratio.interval?.upperBound, places: 4),
                // Never empty: gnuplot 5.4 misreads an empty last field.
                verdict.map { Self.csvVerdict($0.outcome) } ?? "none",
            ]))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
