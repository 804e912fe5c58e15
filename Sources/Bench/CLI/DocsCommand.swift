import Experiments
import Foundation
import Harness
import Platform

/// `bench docs`: every generated block of the published Markdown rendered
/// from the committed runs, so that a published figure comes from a
/// committed run by construction; `--check` for CI, `--rerun` to measure
/// the committed runs again first.
enum DocsCommand: BenchCommand {
    static let name = "docs"
    static let summary = "rewrite the tables of README.md and docs/ from the committed runs (--check: compare only)"

    static let options = [
        OptionSpec("--check", help: "compare every block with what its run gives, write nothing; exit 1 naming each stale block"),
        OptionSpec("--rerun", help: "first measure the committed runs again (all, or those NAMEd) with the command each meta.json records"),
        OptionSpec("--allow-disturbed", help: "--rerun: keep a rerun measured on a busy machine (it is marked disturbed) instead of refusing it"),
        OptionSpec("--binary", value: "PATH", help: "--rerun: the bench to measure with (default: the package's .build/release/bench)"),
    ]

    static var help: String {
        Usage.command(
            "bench docs [--check] [--rerun [NAME...] [--allow-disturbed]]", summary: summary,
            groups: [("Options", options + [Usage.helpOption])],
            notes: [
                "Run it in the package folder. It reads README.md, docs/*.md and docs/*/README.md, and rewrites\nonly the text between a '<!-- bench:begin RUN VIEW ARGS... -->' line and the next\n'<!-- bench:end -->' line; everything else stays byte for byte. Never edit inside a block by hand:\n'bench docs --check' (which CI runs) fails on it.",
                "RUN is a committed run folder relative to the package: results/reference (the default\nmatrix) or docs/NAME (an experiment's). VIEW is one of:\n"
                    + "  meta                       where and when it was measured, and whether the machine was quiet\n"
                    + "  report WORKLOAD            the workload's table, verdicts and fits, as --export-markdown writes them\n"
                    + "  table WORKLOAD             only its table (with footnotes)\n"
                    + "  verdicts WORKLOAD          only its head-to-head verdicts by worker count\n"
                    + "  fits WORKLOAD              only its scaling fits\n"
                    + "  claims                     the experiment's claims table (claims.csv), p-values and verdicts\n"
                    + "  csv FILE columns=A,B:Title [where.COL=V|W] [format.COL=ms|us|x|pct|int|fN]\n"
                    + "                             a table of any CSV file of the run (_ in a title is a space)\n"
                    + "  chart NAME [CAPTION...]    its chart plots/NAME.png (or NAME.png), linked from the file",
                "The report views rebuild the run's conclusions from its raw.csv (claims from claims.csv),\njudged as the run judged them, so they change when the statistics change: run bench docs then.",
                "--rerun measures results/reference and each docs/NAME/ holding a meta.json again with the\ncommand its meta.json records (--out pointed at a temporary folder, --export-* left out), one\nafter another, printing progress. Each run's files replace the committed ones only when it\ncompleted and its machine was quiet; otherwise that run is refused with one line (its output is\nkept in the temporary folder) and the others go on. Then the blocks are rendered. Measure on a\nquiet machine with a release build (swift build -c release); it takes as long as the runs did.",
                "Examples:\n  bench docs --check\n  bench docs\n  bench docs --rerun gil seed-400",
                "Exit codes: 0 all blocks agree (or were rewritten), 1 a block is stale (--check), names an unknown\nrun, view or column, or a rerun was refused or failed; 64 bad usage.",
            ])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        guard let arguments = try Arguments.parse(words, options: options, help: help, positionals: true) else { return .success }
        let rerun = arguments.has("--rerun")
        if !rerun, let extra = arguments.positionals.first {
            throw BenchError.usage("unexpected argument '\(extra)'", fix: "names of runs follow --rerun, e.g. bench docs --rerun gil")
        }
        if rerun && arguments.has("--check") {
            throw BenchError.usage("--check and --rerun do not go together", fix: "rerun with bench docs --rerun, then check with bench docs --check")
        }
        for flag in ["--allow-disturbed", "--binary"] where arguments.has(flag) && !rerun {
            throw BenchError.usage("\(flag) applies to --rerun only", fix: "add --rerun, or leave \(flag) out")
        }
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) else {
            throw BenchError.usage("\(root.path) is not bench's package folder (no Package.swift)", fix: "cd to the folder holding Package.swift and run bench docs there")
        }
        var code = ExitCode.success
        if rerun {
            let binary = arguments.string("--binary") ?? root.appendingPathComponent(".build/release/bench").path
            code = try DocsRerun(root: root, binary: binary, allowDisturbed: arguments.has("--allow-disturbed")).run(names: arguments.positionals)
        }
        let rendered = try render(root: root, write: !arguments.has("--check"))
        return code == .success ? rendered : code
    }

    /// Renders every block; writes the files whose blocks changed, or (check) names them.
    /// Every file is rendered before any is written: a broken block leaves every file as it was.
    static func render(root: URL, write: Bool) throws -> ExitCode {
        let site = DocsSite(root: root, views: DocsViews(report: reportHook()))
        var stale: [String] = []
        var blocks = 0
        var changed: [(file: String, text: String, blocks: Int)] = []
        for file in site.files {
            let result: (original: String, rendered: String, stale: [GeneratedBlocks.Block])
            do {
                result = try site.render(file)
                blocks += try GeneratedBlocks(result.original, file: file).blocks.count
            } catch let error as BenchError {
                // A broken block is the document's fault, not the command line's: exit 1, as for a stale one.
                throw BenchError.runFailed(error.what, fix: error.fix)
            }
            stale += result.stale.map { "\(file):\($0.line): \($0.words.joined(separator: " "))" }
            if result.rendered != result.original { changed.append((file, result.rendered, result.stale.count)) }
        }
        for (file, text, count) in changed where write {
            do {
                try Data(text.utf8).write(to: root.appendingPathComponent(file), options: .atomic)
            } catch {
                throw BenchError.io("cannot write \(file): \(error.localizedDescription)")
            }
            print("\(file): \(count) block\(count == 1 ? "" : "s") rewritten")
        }
        let files = site.files.count
        if write {
            print("bench docs: \(blocks) generated block\(blocks == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s"), \(stale.count) rewritten from the committed runs")
            return .success
        }
        guard stale.isEmpty else {
            for line in stale { printNote("\(line): stale (differs from what its run gives)") }
            printError("\(stale.count) generated block\(stale.count == 1 ? "" : "s") differ from the committed runs — run bench docs to rewrite them (never edit inside a block by hand)")
            return .runFailed
        }
        print("bench docs --check: all \(blocks) generated block\(blocks == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s") agree with the committed runs")
        return .success
    }

    /// The report views (`ReportView`), each run folder read once however many blocks show it.
    static func reportHook() -> (URL, String, [String]) throws -> String? {
        let cache = DocumentCache()
        return { run, kind, arguments in
            guard let view = try ReportView(kind: kind, arguments: arguments) else { return nil }
            return try view.render(try cache.document(run))
        }
    }

    /// Run folders already read, by path: only `render`'s single thread uses it.
    private final class DocumentCache {
        var documents: [String: ExportDocument] = [:]

        func document(_ run: URL) throws -> ExportDocument {
            if let document = documents[run.path] { return document }
            // Judged as `bench report` judges a folder: its experiment's baselines and verdict family.
            let document = try ExportDocument.recorded(in: run.path) { name in
                ExperimentRegistry.experiment(named: name).map { ($0.modelBaselines, $0.verdictFamily) }
            }
            documents[run.path] = document
            return document
        }
    }
}
