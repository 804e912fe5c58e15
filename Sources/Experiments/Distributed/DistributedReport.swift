import Engine
import Foundation
import Harness
import Platform

/// The distributed experiment's findings: per-task cost through the broker
/// against the pipes, scaling with workers, what a killed worker cost, and
/// the seeds' claims checked against those measurements.
struct DistributedReport {
    static let spread = SeedClaim("distribution spreads heavy computation over several computers to make the system faster", source: SeedFile.seed000)
    static let machines = SeedClaim("processes are preferred to threads because processes can be spread over several machines", source: SeedFile.seed004)
    static let hidden = SeedClaim("the managers module wraps the network so well that you need not know its details to write a distributed program", source: SeedFile.seed004)
    static let claims = [spread, machines, hidden]

    /// "Real" speedup: more than a quarter of a second worker's worth.
    static let speedupLine = 1.25

    let results: InvocationResults
    let runtime: DistributedRuntime
    let sizes: DistributedExperiment.Sizes
    let swiftFactor: Int

    private func cell(_ model: String, _ workload: String, _ workers: Int) -> Cell? {
        results.cell(model, workload, workers: workers)
    }

    /// Each good sample's (wall - setup) / tasks, in µs: what one task costs once the workers run.
    func overheads(_ model: String) -> [Double] {
        guard let cell = cell(model, "noop", DistributedExperiment.overheadWorkers) else { return [] }
        return results.samples.filter { $0.cell == cell && $0.ok }.map { ($0.wallSeconds - $0.setupSeconds) / Double(cell.tasks) * 1e6 }
    }

    /// The serial baseline of `model`'s language on `workload`.
    private func speedup(_ model: String, _ workload: String, _ workers: Int) -> Estimate? {
        results.ratio(cell(model.hasPrefix("python-") ? "python-serial" : "serial", workload, 1), over: cell(model, workload, workers))
    }

    /// The claims table: printed, written to claims.csv and exported.
    var claims: ClaimsReport {
        ClaimsReport(title: "distributed: the seeds' master/worker through a Redis broker (speedup = serial's median / the cell's)", checks: checks)
    }

    var checks: [ClaimCheck] {
        var checks: [ClaimCheck] = []
        for (model, language) in [("distributed", "swift"), ("python-distributed", "python")] {
            checks.append(ClaimCheck(
                id: "spread-xor", claim: Self.spread,
                prediction: "\(model) xor speedup at 2 workers > \(Self.speedupLine)", language: language,
                measured: speedup(model, "xor", 2), line: Self.speedupLine, above: true))
        }
        for (model, language) in [("distributed", "swift"), ("python-distributed", "python")] {
            checks.append(ClaimCheck(
                id: "spread-sleep", claim: Self.machines,
                prediction: "\(model) sleep speedup at 4 workers > 2", language: language,
                measured: speedup(model, "sleep", 4), line: 2, above: true))
        }
        for (pool, broker, language) in [("process-pool", "distributed", "swift"), ("python-process-pool", "python-distributed", "python")] {
            checks.append(ClaimCheck(
                id: "network-hidden", claim: Self.hidden,
                prediction: "\(broker) / \(pool) per-task cost at chunksize 1 < 2", language: language,
                measured: Estimate(numerator: overheads(broker + "-chunk1"), denominator: overheads(pool + "-chunk1")),
                line: 2, above: false))
        }
        return checks
    }

    /// The rows of the per-task cost table: model, chunk size, tasks, µs per task, setup.
    private var overheadRows: [(model: String, chunk: String, estimate: Estimate?, setup: Double?, tasks: Int?)] {
        ["process-pool", "distributed", "python-process-pool", "python-distributed"].flatMap { model in
            [(model + "-chunk1", "1"), (model, "default")].compactMap { name, chunk in
                guard let cell = cell(name, "noop", DistributedExperiment.overheadWorkers) else { return nil }
                return (model, chunk, Estimate(median: overheads(name)),
                        Statistics.median(results.samples.filter { $0.cell == cell && $0.ok }.map(\.setupSeconds)), cell.tasks)
            }
        }
    }

    /// The kill cell's samples (measured, not warmups) as the runtime recorded them.
    private var killRecords: [DistributedSampleRecord] {
        let measured = cell(DistributedExperiment.killModel, "sleep", 4).map { results.walls(of: $0).count } ?? 0
        return Array(runtime.records.filter { $0.model == DistributedExperiment.killModel }.suffix(measured))
    }

    /// median(kill) - median(no kill) at 4 workers on sleep, with the interval
    /// of a difference of two medians (`OrderStatistics.differenceOfMedians`).
    var lostTime: Estimate? {
        guard let killed = cell(DistributedExperiment.killModel, "sleep", 4), let intact = cell("distributed", "sleep", 4) else { return nil }
        return Estimate(difference: results.walls(of: killed), minus: results.walls(of: intact))
    }

    func text() -> String {
        var text = claims.render(disturbed: results.disturbed)
        text += "\nper-task cost on noop at \(DistributedExperiment.overheadWorkers) workers, (wall - setup) / tasks\n"
        text += TextTable(
            header: ["model", "chunksize", "tasks", "µs per task [95% CI]", "setup (median)"],
            rows: overheadRows.map { row in
                [row.model, row.chunk, row.tasks.map(String.init) ?? "-", row.estimate?.description ?? "-",
                 row.setup.map { String(format: "%.1f ms", $0 * 1000) } ?? "-"]
            }, leftAligned: [0, 1], indent: "  ").render() + "\n"
        text += "\nscaling: speedup over serial (python-serial for Python)\n"
        var rows: [[String]] = []
        for workload in ["sleep", "xor"] {
            for model in ["distributed", "python-distributed"] {
                for workers in DistributedExperiment.workerCounts {
                    guard let cell = cell(model, workload, workers), let median = Statistics.median(results.walls(of: cell)) else { continue }
                    rows.append([workload, model, String(workers), String(format: "%.1f ms", median * 1000), speedup(model, workload, workers)?.description ?? "-"])
                }
            }
        }
        text += TextTable(header: ["workload", "model", "workers", "median wall", "speedup [95% CI]"], rows: rows, leftAligned: [0, 1], indent: "  ").render() + "\n"
        let records = killRecords
        if !records.isEmpty {
            let redelivered = records.map(\.redeliveredChunks)
            text += "\na worker SIGKILLed after \(sizes.sleepTasks / 4) of \(sizes.sleepTasks) sleep tasks, 4 workers, --redelivery-timeout \(runtime.options.redeliverySeconds) s (\(records.count) samples)\n"
            text += "  chunks redelivered per sample: \(redelivered.map(String.init).joined(separator: ", "));"
            text += " results dropped as repeats: \(records.map(\.duplicatesDropped).reduce(0, +)); every sample's checksum verified (each task counted once)\n"
            text += "  time lost to it, median(killed) - median(intact): \(lostTime?.description(places: 3) ?? "-") s\n"
        }
        return text
    }

    func csv() -> String {
        let header = ["row", "model", "language", "workload", "chunksize", "workers", "value", "ci_lo", "ci_hi", "unit", "claim_id", "source", "line", "direction", "verdict"]
        var lines = [CSVFormat.line(header)]
        func number(_ value: Double?) -> String { CSVFormat.decimal(value, places: 4) }
        func language(_ model: String) -> String { model.hasPrefix("python-") ? "python" : "swift" }
        for row in overheadRows {
            lines.append(CSVFormat.line([
                "overhead", row.model, language(row.model), "noop", row.chunk, String(DistributedExperiment.overheadWorkers),
                number(row.estimate?.value), number(row.estimate?.interval?.lowerBound), number(row.estimate?.interval?.upperBound),
                "us_per_task", "", "", "", "", "",
            ]))
        }
        for workload in ["sleep", "xor"] {
            for model in ["distributed", "python-distributed"] {
                for workers in DistributedExperiment.workerCounts {
                    guard let estimate = speedup(model, workload, workers) else { continue }
                    lines.append(CSVFormat.line([
                        "speedup", model, language(model), workload, "default", String(workers), number(estimate.value),
                        number(estimate.interval?.lowerBound), number(estimate.interval?.upperBound), "x", "", "", "", "", "",
                    ]))
                }
            }
        }
        if let lost = lostTime {
            let records = killRecords
            lines.append(CSVFormat.line([
                "lost_time", DistributedExperiment.killModel, "swift", "sleep", "default", "4", number(lost.value),
                number(lost.interval?.lowerBound), number(lost.interval?.upperBound), "s", "", "", "", "", "",
            ]))
            let redelivered = Statistics.median(records.map { Double($0.redeliveredChunks) })
            lines.append(CSVFormat.line([
                "redelivered_chunks", DistributedExperiment.killModel, "swift", "sleep", "default", "4", number(redelivered), "", "",
                "chunks_per_sample", "", "", "", "", "",
            ]))
        }
        let checks = checks
        for (check, verdict) in zip(checks, ClaimCheck.verdicts(checks)) {
            lines.append(CSVFormat.line([
                "claim", "", check.language, "", "", "", number(check.measured?.value), number(check.measured?.interval?.lowerBound),
                number(check.measured?.interval?.upperBound), "", check.id, check.source, number(check.line),
                check.above ? "above" : "below", verdict.csvValue,
            ]))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
