import Engine
import Foundation
import Harness
import Platform

/// The GIL experiment's claims, checked against its results, and the
/// Swift / Python time ratios beside them. With `--python` listing several
/// interpreters, every Python claim is checked per interpreter, against that
/// interpreter's own python-serial: the `language` column then names it
/// (`python3.13t`), with `-nogil` when its driver reported running without
/// the GIL (so `python3.13t-nogil` beside `python3.12`).
struct GILClaims {
    static let cpuThreads = SeedClaim("for CPU-bound work Python threads are no faster than one thread, maybe even slower", source: SeedFile.seed002)
    static let ioThreads = SeedClaim("for IO-bound work such as HTTP requests, Python threads do help", source: SeedFile.seed002)
    static let processes = SeedClaim("processes run code in parallel", source: SeedFile.seed002)
    static let oneCore = SeedClaim("with the GIL, even 100 threads on 100 cores use only one core", source: SeedFile.seed004)
    static let coroutines = SeedClaim("coroutines switch without a thread switch's cost, so they run much more efficiently than threads", source: SeedFile.seed004)
    static let claims = [cpuThreads, ioThreads, processes, oneCore, coroutines]

    /// "No real speedup" / "real speedup": more than a quarter of a second core's worth.
    static let speedupLine = 1.25

    let results: InvocationResults
    let pythonIterations: Int
    let swiftFactor: Int
    /// The worker counts of the waiting cells: the middle one and the highest.
    let middle: Int
    let high: Int

    /// Whose cells a check reads: Swift's, or one Python interpreter's (nil: the run's only one).
    struct Language {
        let prefix: String
        let interpreter: String?
        let name: String
    }

    /// The Python interpreters of the run's cells (`[nil]` without the interpreter axis), each a language.
    var pythons: [Language] {
        var interpreters: [String?] = []
        for cell in results.summaries.map(\.cell) where cell.model.hasPrefix("python-") && !interpreters.contains(cell.interpreter) {
            interpreters.append(cell.interpreter)
        }
        return (interpreters.isEmpty ? [nil] : interpreters).map { interpreter in
            let withoutGIL = results.languages.python.runsWithoutGIL(interpreter: interpreter) == true
            return Language(prefix: "python-", interpreter: interpreter, name: (interpreter ?? "python") + (withoutGIL ? "-nogil" : ""))
        }
    }

    static let swift = Language(prefix: "", interpreter: nil, name: "swift")

    /// Each Python interpreter's checks, then Swift's.
    private var languages: [Language] { pythons + [Self.swift] }

    private func cell(_ model: String, _ workload: String, _ workers: Int, _ language: Language) -> Cell? {
        results.cell(language.prefix + model, workload, workers: workers) { $0.interpreter == language.interpreter }
    }

    private func speedup(_ model: String, _ workload: String, _ workers: Int, _ language: Language) -> Estimate? {
        results.ratio(cell("serial", workload, 1, language), over: cell(model, workload, workers, language))
    }

    /// The claims table: printed, written to claims.csv and exported.
    var claims: ClaimsReport {
        ClaimsReport(title: "gil: the seeds' claims about Python's threads, processes and coroutines, measured (speedup = serial's median / the cell's)", checks: checks)
    }

    var checks: [ClaimCheck] {
        var checks: [ClaimCheck] = []
        for language in languages {
            for workers in [2, 4] {
                checks.append(ClaimCheck(
                    id: "cpu-threads-no-faster-\(workers)", claim: Self.cpuThreads,
                    prediction: "\(language.prefix)thread xor speedup at \(workers) threads < \(Self.speedupLine)", language: language.name,
                    measured: speedup("thread", "xor", workers, language), line: Self.speedupLine, above: false))
            }
        }
        for language in languages {
            checks.append(ClaimCheck(
                id: "io-threads-help", claim: Self.ioThreads,
                prediction: "\(language.prefix)thread http speedup at \(middle) threads > \(Self.speedupLine)", language: language.name,
                measured: speedup("thread", "http", middle, language), line: Self.speedupLine, above: true))
        }
        for language in languages {
            checks.append(ClaimCheck(
                id: "processes-parallel", claim: Self.processes,
                prediction: "\(language.prefix)process-pool xor speedup at 2 processes > \(Self.speedupLine)", language: language.name,
                measured: speedup("process-pool", "xor", 2, language), line: Self.speedupLine, above: true))
        }
        for language in languages {
            checks.append(ClaimCheck(
                id: "gil-one-core", claim: Self.oneCore,
                prediction: "\(language.prefix)thread xor at 4 threads keeps < \(Self.speedupLine) cores busy", language: language.name,
                measured: results.cpuUtilisation(of: cell("thread", "xor", 4, language)), line: Self.speedupLine, above: false))
        }
        for workload in ["sleep", "http"] {
            for language in languages {
                checks.append(ClaimCheck(
                    id: "coroutines-beat-threads-\(workload)", claim: Self.coroutines,
                    prediction: "\(language.prefix)thread / \(language.prefix)async wall on \(workload) at \(high) > 1", language: language.name,
                    measured: results.ratio(cell("thread", workload, high, language), over: cell("async", workload, high, language)),
                    line: 1, above: true))
            }
        }
        return checks
    }

    /// Swift's time over Python's, per model and interpreter, for the same work (xor: per iteration).
    var ratios: [[String]] {
        var rows: [[String]] = []
        for python in pythons {
            for (model, workers) in [("serial", 1), ("thread", 2), ("thread", 4), ("process-pool", 2), ("process-pool", 4)] {
                guard let swift = cell(model, "xor", workers, Self.swift), let cell = cell(model, "xor", workers, python),
                      let perIteration = Estimate(
                          numerator: results.walls(of: swift).map { $0 / Double(swiftFactor) }, denominator: results.walls(of: cell))
                else { continue }
                rows.append(["xor", "\(model) \(workers == 1 ? "" : "at \(workers)")", python.name, perIteration.description(places: 4)])
            }
            for workload in ["sleep", "http"] {
                for (model, workers) in [("serial", 1), ("thread", middle), ("thread", high), ("async", middle), ("async", high)] {
                    if let estimate = results.ratio(cell(model, workload, workers, Self.swift), over: cell(model, workload, workers, python)) {
                        rows.append([workload, "\(model) \(workers == 1 ? "" : "at \(workers)")", python.name, estimate.description])
                    }
                }
            }
        }
        return rows
    }

    func table() -> String {
        var text = claims.render(disturbed: results.disturbed)
        text += "\nSwift's time / Python's for the same work (xor: per iteration; below 1 Swift is faster)\n"
        text += TextTable(header: ["workload", "model", "Python", "Swift / Python [95% CI]"], rows: ratios, leftAligned: [0, 1, 2], indent: "  ")
            .render() + "\n"
        return text
    }

    func csv() -> String {
        ClaimsTable.csv(checks)
    }
}
