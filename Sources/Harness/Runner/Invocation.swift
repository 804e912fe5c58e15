import Engine
import Foundation
import Platform

/// One measuring invocation from plan to exit code: the run folder, the
/// runner, the table, the experiment's report, the charts and `latest`.
/// Shared by `bench run` and every experiment.
public enum Invocation {
    /// Where and how a run's results are written.
    public struct Output: Sendable {
        /// The results root (`--out`).
        public var root: String
        /// The run folder's name suffix (`--label`), already checked.
        public var label: String
        /// Call plot.sh at the end.
        public var plot: Bool
        /// Write report.html into the run folder at the end, after the charts (`--no-report` turns it off).
        public var report: Bool
        /// The `--export-<format>` files, their targets checked already; when
        /// one is standard output, the human output goes to standard error.
        public var exports: [ExportRequest]
        /// Write a run measured on a busy machine into docs/ all the same (`--allow-disturbed`).
        public var allowsDisturbed: Bool

        public init(
            root: String, label: String, plot: Bool, report: Bool = true, exports: [ExportRequest] = [], allowsDisturbed: Bool = false
        ) {
            self.root = root
            self.label = label
            self.plot = plot
            self.report = report
            self.exports = exports
            self.allowsDisturbed = allowsDisturbed
        }

        /// The package whose docs/ folder holds the results root (a `docs`
        /// folder beside a Package.swift: where published runs live); nil elsewhere.
        public var docsPackage: URL? {
            var folder = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath()
            while folder.path != "/" && !folder.path.isEmpty {
                let parent = folder.deletingLastPathComponent()
                if folder.lastPathComponent == "docs", FileManager.default.fileExists(atPath: parent.appendingPathComponent("Package.swift").path) {
                    return parent
                }
                folder = parent
            }
            return nil
        }

        /// Whether a run on a machine in this state may be written here.
        var refusesDisturbed: Bool { docsPackage != nil && !allowsDisturbed }

        /// Whether an export takes standard output, so the tables go to standard error.
        var exportsToStandardOutput: Bool { exports.contains { $0.target == .descriptor(1) } }
    }

    /// Measures `plan` into a new run folder and reports it.
    ///
    /// An experiment brings its name (meta.json records it, plot.sh draws its
    /// chart), models of its own, and a `report` that writes its extra files
    /// once the run is done and gives back what it prints and its claims
    /// (printed, written to claims.csv and exported), before the charts are drawn.
    public static func measure(
        _ plan: MatrixPlan, output: Output, experiment: String? = nil,
        models: (@Sendable (String) -> (any ConcurrencyModel)?)? = nil,
        notes: [String: JSONValue] = [:],
        report: ((RunFolder, InvocationResults) throws -> ExperimentReport)? = nil
    ) throws -> ExitCode {
        warnAboutConditions()
        for unused in plan.unusedParameters {
            printNote("warning: --\(unused) belongs to no selected workload, so it changes nothing (see bench list)")
        }
        let monitor = MachineMonitor()
        let runner = Runner(plan: plan, models: models)
        var languages = ModelLanguages(ModelCatalog.all + Set(plan.cells.map(\.model)).compactMap(runner.models))
        // Fixtures (servers) and the fork server start before the folder exists: a
        // missing server is one error, and leaves no empty run folder behind.
        let preparation = try runner.prepare()
        try checkQuietBeforeMeasuring(monitor, output: output)
        let folder = try RunFolder(
            root: output.root, label: output.label, plan: plan, commandLine: DistributedOptions.redacted(CommandLine.arguments),
            experiment: experiment, languages: languages)
        var allNotes = preparation.notes.merging(notes) { $1 }
        if let server = ForkServerClient.running, plan.usesWorkerProcesses, plan.options.pool.startMethod == .forkserver {
            allNotes["fork_server"] = .object([
                "pid": .integer(Int(server.pid)), "start_s": .number(server.startSeconds),
                "note": "started once before the first sample, outside every sample's setup_s",
            ])
        }
        try folder.annotate(fixtures: preparation.fixtures, notes: allNotes)
        printNote("bench: \(plan.cells.count) cells x (\(plan.options.warmup) warmup + \(describeRuns(plan, minimum: runner.minimumRuns))) -> \(folder.path)")
        Interruption.install()
        runner.observer = { monitor.tick() }
        let outcome: InvocationOutcome
        do {
            outcome = try runner.run(recordingInto: folder)
        } catch {
            // A full disk or a bad setting stops the run: the folder says so and keeps what is whole.
            folder.fail(runner.outcomeSoFar, because: oneLine(error))
            throw error
        }
        let machine = monitor.finish()
        // What the Python driver reported about how its cells ran (no GIL, to_thread): the tables' marks.
        if let python = Set(plan.cells.map(\.model)).compactMap(runner.models).lazy.compactMap({ ($0 as? PythonDriverModel)?.runtime }).first {
            languages.python = python.labels
        }
        // Best effort: on a full disk this write can fail while finish, which releases the
        // space reserved for the last files first, still succeeds.
        try? folder.annotate(notes: runner.closingNotes(), machineLoad: machine)

        let policy = VerdictPolicy(margin: plan.options.margin, family: plan.options.verdictFamily, disturbed: machine?.isDisturbed ?? false)
        let runReport = InvocationReport(
            samples: outcome.samples, excluding: outcome.failedCells, languages: languages, policy: policy,
            precision: plan.options.runs == .auto ? plan.options.sampling.precision : nil)
        let toStandardError = output.exportsToStandardOutput
        let human: @Sendable (String) -> Void = { text in
            // Through write(2) either way: stdio's buffer would reorder it against the export.
            fflush(nil)
            FileDescriptor.writeAll(toStandardError ? 2 : 1, text)
        }
        human(TerminalExport.tables(runReport))
        // Every file of the folder is written before meta.json may say complete.
        var claims: ClaimsReport?
        do {
            try folder.write(Data(runReport.fitsCSV().utf8), to: "fits.csv")
            if let report {
                let made = try report(folder, InvocationResults(
                    summaries: runReport.summaries, verdicts: runReport.verdicts,
                    samples: outcome.samples.filter { !outcome.failedCells.contains($0.cell) }, policy: policy, languages: languages))
                human(made.text)
                claims = made.claims
                if let claims { try folder.write(Data(ClaimsCSV.text(claims).utf8), to: ClaimsCSV.fileName) }
            }
        } catch {
            folder.fail(outcome, because: oneLine(error))
            throw error
        }
        let status = try folder.finish(outcome, summaries: runReport.summaries)
        // Exports and report.html carry the folder's final meta.json.
        let document = ExportDocument(runID: folder.id, report: runReport, claims: claims, meta: try folder.metaJSON(), folder: folder.path)
        if let refusal = try reportMachine(machine, folder: folder, output: output) {
            try export(document, to: output)
            return refusal
        }
        printNote("results: \(folder.path)/ (raw.csv, summary.csv, meta.json)")
        return try conclude(
            folder, document: document, status: status, outcome: outcome, output: output, measured: !outcome.samples.isEmpty,
            kept: "\(outcome.samples.count) samples kept, summary.csv covers them", units: "cells")
    }

    /// `auto: 8 to 20 runs to ±2% (6 or more once 100 s are spent)`, or `5 runs` for a fixed count:
    /// the budget outranks the minimum a family of verdicts needs, so say what a cell may end with.
    static func describeRuns(_ plan: MatrixPlan, minimum: Int) -> String {
        let options = plan.options
        guard options.runs == .auto else { return "\(options.runs) runs" }
        let floor = OrderStatistics.minimumCount
        return "auto: \(minimum) to \(options.sampling.maxRuns) runs to ±\(VerdictPolicy(margin: options.sampling.precision).marginPercent)"
            + (options.sampling.budgetSeconds.map { minimum > floor ? " (\(floor) or more once \(Int($0)) s are spent)" : " within \(Int($0)) s" } ?? "")
    }

    /// Refuses, before anything is measured, to measure into docs/ on a
    /// machine that is busy already (`--allow-disturbed` writes it all the same).
    static func checkQuietBeforeMeasuring(_ monitor: MachineMonitor, output: Output) throws {
        monitor.measuringStarts()
        guard output.refusesDisturbed, let before = monitor.beforeLoad, before.isDisturbed else { return }
        throw BenchError.runFailed(
            "the machine is busy (\(before.reasons.joined(separator: "; "))), and a disturbed run is not written into docs/",
            fix: "wait until the machine is quiet, or pass --allow-disturbed to write a marked run")
    }

    /// Says how busy the machine was. A disturbed run meant for docs/ is
    /// moved out to the package's `results/` instead (unless
    /// `--allow-disturbed`), and the invocation fails: a figure published from
    /// it would mislead.
    static func reportMachine(_ machine: MachineLoad?, folder: RunFolder, output: Output) throws -> ExitCode? {
        guard let machine else { return nil }
        printNote(machine.summary)
        guard machine.isDisturbed else { return nil }
        printNote("warning: this run was disturbed: \(machine.reasons.joined(separator: "; ")); meta.json says so and every verdict is marked\(VerdictPolicy.disturbedMark)")
        guard output.refusesDisturbed, let package = output.docsPackage else { return nil }
        let kept = try folder.move(toRoot: package.appendingPathComponent("results").path)
        printError("the run was disturbed, and bench does not write a disturbed run into docs/ — it is kept in \(kept); rerun on a quiet machine, or pass --allow-disturbed")
        return .runFailed
    }

    /// The end of every measuring invocation: `latest`, the charts, report.html, the exports, the exit code.
    /// The exports come last so that an HTML export has the charts to inline.
    static func conclude(
        _ folder: RunFolder, document: ExportDocument, status: String, outcome: InvocationOutcome, output: Output, measured: Bool, kept: String, units: String
    ) throws -> ExitCode {
        var code = ExitCode.success
        // DESIGN: latest is the newest complete run; a run with failed cells or an interrupted one is kept but not made latest.
        if status == "complete" {
            do {
                try folder.pointLatestHere()
            } catch {
                printError(oneLine(error))
                code = .runFailed
            }
        }
        // An interrupted run stops now, as asked; a run with failed cells still charts what it measured.
        // The plan is written even without charts (--no-plot), so that ./plot.sh can draw them later.
        if !outcome.interrupted && measured && Plotter.writePlan(folder.path) && output.plot {
            Plotter.plot(folder.path)
        }
        if output.report && !outcome.interrupted && measured {
            writeReport(document)
        }
        try export(document, to: output)
        if outcome.interrupted {
            printNote("bench: interrupted; \(kept)")
            return .runFailed
        }
        if !outcome.failures.isEmpty {
            printError("\(outcome.failures.count) of \(outcome.cellCount) \(units) failed (see above and meta.json) — fix the cause and rerun those \(units)")
            return .runFailed
        }
        return code
    }

    /// Writes report.html into the run folder; like the charts, a convenience
    /// on top of the CSV that cannot fail the run: a failure is a warning.
    static func writeReport(_ document: ExportDocument) {
        do {
            printNote("report: \(try HTMLExport.writeReport(document))")
        } catch {
            printNote("warning: could not write \(HTMLExport.fileName) (\(oneLine(error))) — the measurements are complete; run bench report \(document.folder ?? "RUN") later")
        }
    }

    /// Writes every export that was asked for.
    static func export(_ document: ExportDocument, to output: Output) throws {
        for request in output.exports {
            try request.write(document)
        }
    }

    /// Run folder names stay portable and short: letters, digits, `.`, `_`, `-`, at most 100 characters.
    public static func checkLabel(_ label: String) throws -> String {
        let allowed = label.unicodeScalars.allSatisfy {
            ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || "._-".unicodeScalars.contains($0)
        }
        guard !label.isEmpty, allowed, !label.hasPrefix("."), label.count <= 100 else {
            throw BenchError.usage(
                "--label '\(label.prefix(60))\(label.count > 60 ? "..." : "")' is not a plain name of at most 100 characters",
                fix: "use letters, digits, '.', '_' and '-', e.g. --label laptop")
        }
        return label
    }

    /// A results root that can be used: not empty, and not an existing file.
    public static func checkRoot(_ root: String) throws -> String {
        guard !root.isEmpty else {
            throw BenchError.usage("--out is empty", fix: "give a folder, e.g. --out results")
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), !isFolder.boolValue {
            throw BenchError.usage("--out \(root) is a file, not a folder", fix: "give a folder, e.g. --out results")
        }
        return root
    }

    /// Timings from a debug build or a busy machine mislead; say so up front.
    static func warnAboutConditions() {
        if BuildInfo.configuration != "release" {
            printNote("warning: this is a debug build; timings are not representative — use swift run -c release bench")
        }
        if let instability = HostInfo.current().instability {
            printNote("warning: \(instability)")
        }
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        if let load = HostInfo.loadAverage(), load > 0.5 * cores {
            printNote("warning: load average is \(load) on \(Int(cores)) cores; other work will disturb the timings")
        }
    }
}

/// What a finished run measured, for an experiment's report.
public struct InvocationResults: Sendable {
    public let summaries: [CellSummary]
    /// The head-to-head verdicts of the run's table.
    public let verdicts: [HeadToHead]
    /// The good samples of every cell that did not fail.
    public let samples: [Sample]
    /// How the run's verdicts are judged; `policy.disturbed` marks every verdict a report prints.
    public let policy: VerdictPolicy
    /// The run's models' baselines and labels (what the Python driver reported about its cells).
    public let languages: ModelLanguages

    public init(
        summaries: [CellSummary], verdicts: [HeadToHead], samples: [Sample], policy: VerdictPolicy = VerdictPolicy(),
        languages: ModelLanguages = .catalog
    ) {
        self.summaries = summaries
        self.verdicts = verdicts
        self.samples = samples
        self.policy = policy
        self.languages = languages
    }

    /// The machine was busy while measuring: every verdict says so.
    public var disturbed: Bool { policy.disturbed }

    /// The wall times of `cell`'s good samples.
    public func walls(of cell: Cell) -> [Double] {
        samples.filter { $0.cell == cell && $0.ok }.map(\.wallSeconds)
    }
}
