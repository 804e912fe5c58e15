import Foundation
import Harness
import Platform

/// `bench compare OLD NEW`: what got slower or faster between two runs,
/// with an exit code a CI job can gate on.
enum CompareCommand: BenchCommand {
    static let name = "compare"
    static let summary = "compare two runs cell by cell; exit 2 when a cell regressed"
    static let defaultThreshold = 5.0

    static let options = [
        OptionSpec("--threshold", value: "PERCENT", help: "smallest change that counts, in percent (default \(Int(defaultThreshold)))"),
        OptionSpec("--force", help: "compare runs measured with different settings (--start-method, --chunksize...), with a warning"),
        OptionSpec("--no-report", help: "do not write compare-<old id>.html into NEW_RUN's folder"),
    ]

    static var help: String {
        Usage.command(
            "bench compare OLD_RUN NEW_RUN [--threshold PERCENT]", summary: summary,
            groups: [("Options", options + [Usage.helpOption])],
            notes: [
                "OLD_RUN and NEW_RUN are run folders (e.g. results/reference results/latest).",
                "For every cell in both runs it prints new/old median wall time with a 95% interval from order\nstatistics (each median's binomial interval, their misses adding up to at most 5%). A cell regressed\nwhen the whole interval lies above 1 + threshold, improved when below 1 - threshold; a cell with\nfewer than 6 samples on a side (or 6 on both) has no interval and no verdict. It also prints new/old\nCPU time, and whether the change is within the newest bench calibrate's floors found beside the runs.",
                "It warns when the runs differ in host, cores, CPU quota or model, build configuration, Swift or\nPython version: then a change may be the machine's, not the code's.",
                "It refuses runs measured with different settings (--start-method, --chunksize, --dispatch, task\ntiming, the Python start method): their cells share names but measured different things.\n--force compares them anyway, with a warning.",
                "It writes the table as a page too, compare-<old id>.html in NEW_RUN's folder (--no-report skips it).",
                "A run folder that is not complete (still running, killed, interrupted, failed) is compared\nwith a warning; a last row of raw.csv cut short by a crash is skipped, with a warning.",
                "Exit codes: 0 nothing regressed, 2 something regressed, 64 bad usage, 1 unreadable run.",
            ])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        guard let arguments = try Arguments.parse(words, options: options, help: help, positionals: true) else { return .success }
        guard arguments.positionals.count == 2 else {
            throw BenchError.usage("compare needs two run folders, got \(arguments.positionals.count)", fix: "e.g. bench compare results/reference results/latest")
        }
        let threshold = try percent(arguments.string("--threshold")) ?? defaultThreshold
        let old = try RecordedRun(folder: arguments.positionals[0])
        let new = try RecordedRun(folder: arguments.positionals[1])
        // Every warning is printed, and shown on the page too.
        var warnings: [String] = []
        func warn(_ text: String) {
            printNote("warning: " + text)
            warnings.append(text)
        }
        for run in [old, new] {
            if run.status != "complete" {
                warn("\(run.folder) is not a complete run (meta.json status: \(run.status ?? "unreadable")); its cells may be partial")
            }
            for warning in run.warnings { warn(warning) }
        }
        // Settings that change what a cell measures: a difference is not a change of the code.
        let differences = zip(old.runSettings, new.runSettings).filter { $0.value != $1.value && $0.value != "unknown" && $1.value != "unknown" }
            .map { "\($0.name) \($0.value) (old) vs \($1.value) (new)" }
        if !differences.isEmpty {
            guard arguments.has("--force") else {
                throw BenchError.usage(
                    "the runs were measured with different settings: \(differences.joined(separator: "; "))",
                    fix: "compare runs measured alike, or add --force to compare them anyway")
            }
            warn("the runs were measured with different settings: \(differences.joined(separator: "; ")); a change may be the settings', not the code's")
        }
        // A difference of machine or build is a difference of measurement: say so before any verdict.
        for (before, after) in zip(old.setting, new.setting) where before.value != after.value {
            warn("the runs differ in \(before.name): \(before.value) (old) vs \(after.value) (new); a change may be the \(before.name)'s, not the code's")
        }
        let floors = CalibrationFloors.newest(in: [old.folder, new.folder].map { ($0 as NSString).deletingLastPathComponent }.map { $0.isEmpty ? "." : $0 })
        if let floors {
            printNote("floors: \(floors.path) (a change smaller than a cell's start-up or timer floor says nothing about the model)")
        }
        let comparison = RunComparison(old: old, new: new, threshold: threshold / 100, floors: floors)
        guard !comparison.rows.isEmpty else {
            throw BenchError.usage("\(old.id) and \(new.id) have no cell in common", fix: "compare runs of the same matrix")
        }
        print(comparison.render(old: old, new: new, thresholdPercent: threshold))
        if !arguments.has("--no-report") {
            // A page beside the new run, like its charts: a convenience that cannot change the verdict or the exit code.
            do {
                printNote("page: \(try ComparisonPage.write(comparison, old: old, new: new, thresholdPercent: threshold, warnings: warnings))")
            } catch {
                printNote("warning: could not write \(ComparisonPage.fileName(old: old)) into \(new.folder) (\(oneLine(error))); --no-report skips it")
            }
        }
        return comparison.regressions > 0 ? .regression : .success
    }

    /// Accepts `5`, `5%` and `2.5`.
    static func percent(_ text: String?) throws -> Double? {
        guard let text else { return nil }
        let number = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard let value = Double(number), value.isFinite, value >= 0, value < 100 else {
            throw BenchError.usage("--threshold expects a percentage from 0 to 100, got '\(text)'", fix: "e.g. --threshold 5")
        }
        return value
    }
}
