import Engine
import Foundation
import Harness
import Platform
import Workloads

/// The seed's wallpaper crawler (002), run: the `crawl` workload under
/// serial, threads (up to the seed's 50), async, processes and hybrid, in
/// Swift and CPython, with the tutorial's phased pipeline and an overlapped one.
public struct CrawlerExperiment: Experiment {
    public init() {}

    public var name: String { "crawler" }
    public var summary: String { "the seed's wallpaper crawler: 50 pages x 20 images, a producer and up to 50 downloading threads (Swift and Python)" }
    public var claims: [SeedClaim] { CrawlerReport.claims }

    static let workerCounts = [4, 16, 50]

    /// The site's parameters an invocation may change, from the workload's declarations.
    static let siteParameters = [
        CrawlWorkload.pagesParameter, CrawlWorkload.linksParameter, CrawlWorkload.imageBytesParameter, HTTPWorkload.latencyParameter,
    ]

    public var options: [OptionSpec] {
        Self.siteParameters.map { ProbeOptions.spec($0) } + Self.sampling.specs(
            noPython: "measure Swift only, even when python3 is present",
            quick: "a small site (3 pages x 10 images of 16 KiB) and 2 samples: a smoke test")
    }

    static let sampling = SamplingOptions(quickRuns: 2, warmup: 1, quickWarmup: 0, timeoutSeconds: 300, claimChecks: 6, namesQuickDefaults: true)

    public var notes: [String] {
        [
            "Cells, each with --pipeline phased (the tutorial's: every page read before the first download) and\noverlapped (downloads start as links appear): serial; thread at 4, 16 and 50 (the seed's); async at 50;\nprocess-pool at 4; hybrid 2 x 25; and python-serial, python-thread at 4, 16 and 50, python-async at 50,\npython-process-pool at 4. Every image is checked and deleted after each sample.",
            "The site: bench's own server on 127.0.0.1, --http-latency-ms before each response (pages and images).",
        ]
    }

    public func run(_ arguments: Arguments, output: Invocation.Output) throws -> ExitCode {
        let quick = arguments.has("--quick")
        var options = try Self.sampling.matrixOptions(arguments)
        // The site's sizes follow --quick: the crawl workload's own quick values.
        options.quick = quick
        var values = CrawlWorkload.declaration.defaults(quick: quick)
        for parameter in Self.siteParameters {
            if let text = arguments.string(parameter.flag) { values[parameter.name] = try parameter.parse(text) }
        }
        let python = !arguments.has("--no-python")
        if python {
            // Before anything runs: a missing interpreter is one usage error.
            _ = try PythonRuntime(options: options.python).resolve()
        }
        let tasks = values.number("crawl-pages") * values.number("crawl-links")
        var cells: [Cell] = []
        func add(_ models: [String], workers: [Int], processes: [Int] = [2]) throws {
            var part = options
            part.workloads = [CrawlWorkload.registryName]
            part.models = models
            part.workers = workers
            part.processes = processes
            part.tasks = tasks
            part.parameterValues = values.values.mapValues { [$0] }
            part.parameterValues["pipeline"] = [.text("phased"), .text("overlapped")]
            cells += try MatrixPlan(part).cells
        }
        try add(["serial", "thread"], workers: Self.workerCounts)
        try add(["async"], workers: [50])
        try add(["process-pool"], workers: [4])
        try add(["hybrid"], workers: [25], processes: [2])
        if python {
            try add(["python-serial", "python-thread"], workers: Self.workerCounts)
            try add(["python-async"], workers: [50])
            try add(["python-process-pool"], workers: [4])
        }
        options.workloads = [CrawlWorkload.registryName]
        options.models = Array(Set(cells.map(\.model))).sorted()
        options.tasks = tasks
        let plan = MatrixPlan(options, cells: cells)
        return try Invocation.measure(plan, output: output, experiment: name, report: { folder, results in
            let report = CrawlerReport(results: results, python: python)
            try folder.write(Data(report.csv().utf8), to: "experiment.csv")
            return ExperimentReport(text: report.table(), claims: report.claims)
        })
    }
}

/// The crawler experiment's claim checks and its speedup table.
struct CrawlerReport {
    static let threadsHelp = SeedClaim("for IO-bound work such as HTTP requests Python's threads do help: a queue and 50 threads download the wallpapers concurrently", source: SeedFile.seed002)
    static let fillFirst = SeedClaim("the queue must be filled before the threads start, otherwise they find it empty and cannot start", source: SeedFile.seed002)
    static let claims = [threadsHelp, fillFirst]

    let results: InvocationResults
    let python: Bool

    private func cell(_ model: String, _ workers: Int, _ pipeline: String) -> Cell? {
        results.cell(model, CrawlWorkload.registryName, workers: workers) { $0.parameters.text("pipeline") == pipeline }
    }

    private func speedup(_ prefix: String, _ model: String, _ workers: Int, _ pipeline: String) -> Estimate? {
        results.ratio(cell(prefix + "serial", 1, pipeline), over: cell(prefix + model, workers, pipeline))
    }

    private var languages: [(prefix: String, language: String)] {
        python ? [("python-", "python"), ("", "swift")] : [("", "swift")]
    }

    /// The claims table: printed, written to claims.csv and exported.
    var claims: ClaimsReport {
        ClaimsReport(title: "crawler: the seed's claims, measured (speedup = serial's median / the cell's, same language and pipeline)", checks: checks)
    }

    var checks: [ClaimCheck] {
        var checks: [ClaimCheck] = []
        for (prefix, language) in languages {
            for pipeline in ["phased", "overlapped"] {
                checks.append(ClaimCheck(
                    id: "threads-help-\(pipeline)", claim: Self.threadsHelp,
                    prediction: "\(prefix)thread at 50, \(pipeline): speedup over \(prefix)serial > 1.25", language: language,
                    measured: speedup(prefix, "thread", 50, pipeline), line: 1.25, above: true))
            }
        }
        for (prefix, language) in languages {
            checks.append(ClaimCheck(
                id: "fill-first-costs-nothing", claim: Self.fillFirst,
                prediction: "\(prefix)thread at 50: phased wall / overlapped wall <= 1 (starting early gains nothing)", language: language,
                measured: results.ratio(cell(prefix + "thread", 50, "phased"), over: cell(prefix + "thread", 50, "overlapped")),
                line: 1, above: false))
        }
        return checks
    }

    func table() -> String {
        var rows: [[String]] = []
        for (prefix, language) in languages {
            for (model, workers) in [("thread", 4), ("thread", 16), ("thread", 50), ("async", 50), ("process-pool", 4), ("hybrid", 50)] {
                let speedups = ["phased", "overlapped"].map { speedup(prefix, model, workers, $0)?.description ?? "-" }
                guard speedups.contains(where: { $0 != "-" }) else { continue }
                rows.append([language, prefix + model, String(workers)] + speedups)
            }
        }
        var text = claims.render(disturbed: results.disturbed)
        text += "\ncrawl speedup over serial [95% CI]\n"
        text += TextTable(header: ["language", "model", "workers", "phased", "overlapped"], rows: rows, leftAligned: [0, 1]).render() + "\n"
        return text
    }

    func csv() -> String {
        ClaimsTable.csv(checks)
    }
}
