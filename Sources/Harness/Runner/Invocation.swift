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
        /// Write the report as Markdown / JSON here too (`ExportTarget.check`
        /// them first); on standard output, the human output goes to standard error.
        public var markdown: ExportTarget?
        public var json: ExportTarget?

        public init(root: String, label: String, plot: Bool, markdown: ExportTarget? = nil, json: ExportTarget? = nil) {
            self.root = root
            self.label = label
            self.plot = plot
            self.markdown = markdown
            self.json = json
        }

        /// Whether an export takes standard output, so the tables go to standard error.
        var exportsToStandardOutput: Bool { markdown == .descriptor(1) || json == .descriptor(1) }
    }

    /// Measures `plan` into a new run folder and reports it.
    ///
    /// An experiment brings its name (meta.json records it, plot.sh draws its
    /// chart), models of its own, and a `report` that prints its claims and
    /// writes its extra files once the run is done, before the charts are drawn.
    public static func measure(
        _ plan: MatrixPlan, output: Output, experiment: String? = nil,
        models: (@Sendable (String) -> (any ConcurrencyModel)?)? = nil,
        notes: [String: JSONValue] = [:],
        report: (RunFolder, RunResults) throws -> Void = { _, _ in }
    ) throws -> ExitCode {
        warnAboutConditions()
        for unused in plan.unusedParameters {
            printNote("warning: --\(unused) belongs to no selected workload, so it changes nothing (see bench list)")
        }
        let runner = Runner(plan: plan, models: models)
        let languages = ModelLanguages(ModelCatalog.all + Set(plan.cells.map(\.model)).compactMap(runner.models))
        // Fixtures (servers) and the fork server start before the folder exists: a
        // missing server is one error, and leaves no empty run folder behind.
        let preparation = try runner.prepare()
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
        printNote("bench: \(plan.cells.count) cells x (\(plan.options.warmup) warmup + \(plan.options.runs) runs) -> \(folder.path)")
        Interruption.install()
        let outcome: RunOutcome
        do {
            outcome = try runner.run(recordingInto: folder)
        } catch {
            // A full disk or a bad setting stops the run: the folder says so and keeps what is whole.
            folder.fail(runner.outcomeSoFar, because: oneLine(error))
            throw error
        }
        // Best effort: on a full disk this write can fail while finish, which releases the
        // space reserved for the last files first, still succeeds.
        try? folder.annotate(notes: runner.closingNotes())

        let runReport = RunReport(samples: outcome.samples, excluding: outcome.failedCells, languages: languages)
        let toStandardError = output.exportsToStandardOutput
        let human: @Sendable (String) -> Void = { text in
            // Through write(2) either way: stdio's buffer would reorder it against the export.
            fflush(nil)
            FileDescriptor.writeAll(toStandardError ? 2 : 1, text)
        }
        human(runReport.terminal())
        // Every file of the folder is written before meta.json may say complete.
        do {
            try folder.write(Data(runReport.fitsCSV().utf8), to: "fits.csv")
            try report(folder, RunResults(
                summaries: runReport.summaries, verdicts: runReport.verdicts,
                samples: outcome.samples.filter { !outcome.failedCells.contains($0.cell) }, print: human))
        } catch {
            folder.fail(outcome, because: oneLine(error))
            throw error
        }
        let status = try folder.finish(outcome, summaries: runReport.summaries)
        // Exports live outside the folder, and carry its final meta.json.
        try export(runReport, folder: folder, output: output)
        printNote("results: \(folder.path)/ (raw.csv, summary.csv, meta.json)")
        return conclude(
            folder, status: status, outcome: outcome, output: output, measured: !outcome.samples.isEmpty,
            kept: "\(outcome.samples.count) samples kept, summary.csv covers them", units: "cells")
    }

    /// The end of every measuring invocation: `latest`, the charts, the exit code.
    static func conclude(
        _ folder: RunFolder, status: String, outcome: RunOutcome, output: Output, measured: Bool, kept: String, units: String
    ) -> ExitCode {
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
        if output.plot && !outcome.interrupted && measured {
            Plotter.plot(folder.path)
        }
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

    /// Writes the Markdown and JSON exports that were asked for.
    static func export(_ report: RunReport, folder: RunFolder, output: Output) throws {
        if let target = output.markdown {
            try target.write(Array(report.markdown(runID: folder.id).utf8), flag: "--export-markdown")
        }
        if let target = output.json {
            let meta = try folder.metadata.map { try JSONDecoder().decode(JSONValue.self, from: $0.encoded()) }
            try target.write(Array(try report.json(meta: meta)) + [UInt8(ascii: "\n")], flag: "--export-json")
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
public struct RunResults: Sendable {
    public let summaries: [CellSummary]
    /// The head-to-head verdicts of the run's table.
    public let verdicts: [HeadToHead]
    /// The good samples of every cell that did not fail.
    public let samples: [Sample]
    /// Where the report's own tables go: standard output, or standard error when an export takes it.
    public let print: @Sendable (String) -> Void

    /// The wall times of `cell`'s good samples.
    public func walls(of cell: Cell) -> [Double] {
        samples.filter { $0.cell == cell && $0.ok }.map(\.wallSeconds)
    }
}
