import Engine
import Foundation
import Harness
import Platform

/// The GIL experiment's claims, checked against its results, and the
/// Swift / Python time ratios beside them.
struct GILClaims {
    static let cpuThreads = SeedClaim("for CPU-bound work Python threads are no faster than one thread, maybe even slower", source: SeedFile.seed002)
    static let ioThreads = SeedClaim("for IO-bound work such as HTTP requests, Python threads do help", source: SeedFile.seed002)
    static let processes = SeedClaim("processes run code in parallel", source: SeedFile.seed002)
    static let oneCore = SeedClaim("with the GIL, even 100 threads on 100 cores use only one core", source: SeedFile.seed004)
    static let coroutines = SeedClaim("coroutines switch without a thread switch's cost, so they run much more efficiently than threads", source: SeedFile.seed004)
    static let claims = [cpuThreads, ioThreads, processes, oneCore, coroutines]

    /// "No real speedup" / "real speedup": more than a quarter of a second core's worth.
    static let speedupLine = 1.25

    let results: RunResults
    let pythonIterations: Int
    let swiftFactor: Int
    /// The worker counts of the waiting cells: the middle one and the highest.
    let middle: Int
    let high: Int

    private func cell(_ model: String, _ workload: String, _ workers: Int) -> Cell? {
        results.cell(model, workload, workers: workers)
    }

    private func speedup(_ model: String, _ workload: String, _ workers: Int, python: Bool) -> Estimate? {
        results.ratio(cell(python ? "python-serial" : "serial", workload, 1), over: cell(model, workload, workers))
    }

    /// The claims table: printed, written to claims.csv and exported.
    var claims: ClaimsReport {
        ClaimsReport(title: "gil: the seeds' claims about Python's threads, processes and coroutines, measured (speedup = serial's median / the cell's)", checks: checks)
    }

    var checks: [ClaimCheck] {
        var checks: [ClaimCheck] = []
        for (python, prefix, language) in [(true, "python-", "python"), (false, "", "swift")] {
            for workers in [2, 4] {
                checks.append(ClaimCheck(
                    id: "cpu-threads-no-faster-\(workers)", claim: Self.cpuThreads,
                    prediction: "\(prefix)thread xor speedup at \(workers) threads < \(Self.speedupLine)", language: language,
                    measured: speedup("\(prefix)thread", "xor", workers, python: python), line: Self.speedupLine, above: false))
            }
        }
        for (python, prefix, language) in [(true, "python-", "python"), (false, "", "swift")] {
            checks.append(ClaimCheck(
                id: "io-threads-help", claim: Self.ioThreads,
                prediction: "\(prefix)thread http speedup at \(middle) threads > \(Self.speedupLine)", language: language,
                measured: speedup("\(prefix)thread", "http", middle, python: python), line: Self.speedupLine, above: true))
        }
        for (python, prefix, language) in [(true, "python-", "python"), (false, "", "swift")] {
            checks.append(ClaimCheck(
                id: "processes-parallel", claim: Self.processes,
                prediction: "\(prefix)process-pool xor speedup at 2 processes > \(Self.speedupLine)", language: language,
                measured: speedup("\(prefix)process-pool", "xor", 2, python: python), line: Self.speedupLine, above: true))
        }
        for (prefix, language) in [("python-", "python"), ("", "swift")] {
            checks.append(ClaimCheck(
                id: "gil-one-core", claim: Self.oneCore,
                prediction: "\(prefix)thread xor at 4 threads keeps < \(Self.speedupLine) cores busy", language: language,
                measured: results.cpuUtilisation(of: cell("\(prefix)thread", "xor", 4)), line: Self.speedupLine, above: false))
        }
        for workload in ["sleep", "http"] {
            for (prefix, language) in [("python-", "python"), ("", "swift")] {
                checks.append(ClaimCheck(
                    id: "coroutines-beat-threads-\(workload)", claim: Self.coroutines,
                    prediction: "\(prefix)thread / \(prefix)async wall on \(workload) at \(high) > 1", language: language,
                    measured: results.ratio(cell("\(prefix)thread", workload, high), over: cell("\(prefix)async", workload, high)),
                    line: 1, above: true))
            }
        }
        return checks
    }

    /// Swift's time over Python's, per model, for the same work (xor: per iteration).
    var ratios: [[String]] {
        var rows: [[String]] = []
        for (model, workers) in [("serial", 1), ("thread", 2), ("thread", 4), ("process-pool", 2), ("process-pool", 4)] {
            let swift = cell(model, "xor", workers)
            let python = cell("python-" + model, "xor", workers)
            guard let swift, let python, let perIteration = Estimate(
                numerator: results.walls(of: swift).map { $0 / Double(swiftFactor) }, denominator: results.walls(of: python))
            else { continue }
            rows.append(["xor", "\(model) \(workers == 1 ? "" : "at \(workers)")", perIteration.description(places: 4)])
        }
        for workload in ["sleep", "http"] {
            for (model, workers) in [("serial", 1), ("thread", middle), ("thread", high), ("async", middle), ("async", high)] {
                if let estimate = results.ratio(cell(model, workload, workers), over: cell("python-" + model, workload, workers)) {
                    rows.append([workload, "\(model) \(workers == 1 ? "" : "at \(workers)")", estimate.description])
                }
            }
        }
        return rows
    }

    func table() -> String {
        var text = claims.render(disturbed: results.disturbed)
        text += "\nSwift's time / Python's for the same work (xor: per iteration; below 1 Swift is faster)\n"
        text += TextTable(header: ["workload", "model", "Swift / Python [95% CI]"], rows: ratios, leftAligned: [0, 1], indent: "  ").render() + "\n"
        return text
    }

    func csv() -> String {
        ClaimsTable.csv(checks)
    }
}
