import Foundation
import Testing
@testable import Harness
import Platform
import TestSupport

/// The pieces of `bench docs` below the command line: the report views over a
/// committed run (through the Markdown export), and the committed runs that
/// `--rerun` measures again.
@Suite("bench docs: report views and committed runs")
struct DocsReportTests {
    static let packageRoot = PlotScript.packageRoot

    /// The committed reference run, judged as `bench docs` judges it.
    static func reference() throws -> ExportDocument {
        let run = try RecordedRun(folder: packageRoot.appendingPathComponent("results/reference").path)
        return ExportDocument(runID: run.id, report: InvocationReport(samples: run.samples, excluding: run.failedCells), meta: run.meta)
    }

    static func claims() -> ClaimsReport {
        ClaimsReport(title: "gil: threads and the GIL", rows: [
            ClaimRow(
                id: "threads-cpu", claim: "threads do not speed up CPU work", source: "gil.md", prediction: "speedup ≤ 1.1",
                language: "python", value: 1.01, interval: 0.97...1.07, coverage: 0.96, measured: "1.01 [0.97, 1.07] (96%)", line: 1.1,
                above: false, p: 0.03, holmP: 0.06, verdict: .holds),
        ])
    }

    @Test func readsTheVocabularyAndLeavesOtherKindsToTheOtherViews() throws {
        #expect(try ReportView(kind: "report", arguments: ["xor"])?.subject == .workload("xor", .report))
        #expect(try ReportView(kind: "verdicts", arguments: ["sleep"])?.subject == .workload("sleep", .verdicts))
        #expect(try ReportView(kind: "claims", arguments: [])?.subject == .claims)
        #expect(try ReportView(kind: "meta", arguments: []) == nil)
        #expect(try ReportView(kind: "tabel", arguments: ["xor"]) == nil)
        #expect(throws: BenchError.self) { try ReportView(kind: "table", arguments: []) }
        #expect(throws: BenchError.self) { try ReportView(kind: "fits", arguments: ["xor", "sleep"]) }
        #expect(throws: BenchError.self) { try ReportView(kind: "claims", arguments: ["xor"]) }
        #expect(ReportView.kinds == ["report", "table", "verdicts", "fits", "claims"])
    }

    /// A workload's report is the Markdown export's section of its group, and
    /// the parts are its pieces; no other workload's rows come along.
    @Test func aWorkloadsReportIsTheMarkdownExportsSection() throws {
        let document = try Self.reference()
        let group = try #require(document.report.groups.first { $0.workload == "xor" })
        let export = MarkdownExport()
        let report = try #require(try ReportView(kind: "report", arguments: ["xor"])).render(document)
        #expect(report == export.section(for: group, in: document.report))
        let table = try #require(try ReportView(kind: "table", arguments: ["xor"])).render(document)
        let verdicts = try #require(try ReportView(kind: "verdicts", arguments: ["xor"])).render(document)
        let fits = try #require(try ReportView(kind: "fits", arguments: ["xor"])).render(document)
        #expect(report == [table, verdicts, fits].joined(separator: "\n"))
        #expect(table.hasPrefix("| model | shape | workers |"))
        #expect(table.split(separator: "\n").count == 2 + 21)
        #expect(verdicts.hasPrefix("Fastest by worker count"))
        #expect(fits.hasPrefix("Scaling fit"))
        #expect(!report.contains("sleep"))
        // Each part ends with a line break, so the block's end marker keeps its own line.
        #expect([report, table, verdicts, fits].allSatisfy { $0.hasSuffix("\n") })
    }

    /// A workload measured in several groups shows each under its label.
    @Test func severalGroupsOfAWorkloadAreLabelled() throws {
        let run = try RecordedRun(folder: Self.packageRoot.appendingPathComponent("docs/seed-400").path)
        let document = ExportDocument(runID: run.id, report: InvocationReport(samples: run.samples, excluding: run.failedCells))
        let table = try #require(try ReportView(kind: "table", arguments: ["print"])).render(document)
        let labels = table.split(separator: "\n").filter { $0.hasPrefix("**print, ") }
        #expect(labels.count == document.report.groups.count)
        #expect(labels.count > 1)
    }

    @Test func namesTheWorkloadsARunHasWhenOneIsMissing() throws {
        let view = try #require(try ReportView(kind: "table", arguments: ["nope"]))
        let document = try Self.reference()
        do {
            _ = try view.render(document)
            Issue.record("a workload the run never measured rendered")
        } catch {
            #expect(error.what.contains("no workload 'nope'"))
            #expect(error.fix.contains("xor"))
        }
    }

    @Test func theClaimsViewIsTheClaimsTableOrAnErrorWithoutOne() throws {
        let view = try #require(try ReportView(kind: "claims", arguments: []))
        let reference = try Self.reference()
        #expect(throws: BenchError.self) { try view.render(reference) }
        let withClaims = ExportDocument(runID: "r", report: reference.report, claims: Self.claims())
        let text = try view.render(withClaims)
        #expect(text == MarkdownExport.claims(Self.claims(), disturbed: false))
        #expect(text.contains("| threads do not speed up CPU work | gil.md | speedup ≤ 1.1 | python |"))
    }

    // MARK: committed runs

    static func writeRun(_ root: URL, _ folder: String, meta: String) throws {
        let url = root.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Data(meta.utf8).write(to: url.appendingPathComponent("meta.json"))
    }

    @Test func findsTheReferenceRunAndEachDocsRunWithAMetaJSON() throws {
        let package = try TemporaryFolder()
        defer { package.remove() }
        try Self.writeRun(package.url, "results/reference", meta: #"{"command_line": ["bench", "--label", "reference"]}"#)
        try Self.writeRun(package.url, "docs/gil", meta: #"{"command_line": ["bench", "experiment", "gil", "--out", "/tmp/g"]}"#)
        try FileManager.default.createDirectory(at: package.url.appendingPathComponent("docs/locks"), withIntermediateDirectories: true)
        let runs = try CommittedRun.all(in: package.url)
        #expect(runs.map(\.path) == ["results/reference", "docs/gil"])
        #expect(runs.map(\.name) == ["reference", "gil"])
        #expect(runs[1].commandLine == ["bench", "experiment", "gil", "--out", "/tmp/g"])
        try Self.writeRun(package.url, "docs/old", meta: #"{"status": "complete"}"#)
        #expect(throws: BenchError.self) { try CommittedRun.all(in: package.url) }
    }

    @Test func aRerunWritesIntoItsOwnRootAndLeavesTheOldExportsOut() {
        let run = CommittedRun(path: "results/reference", commandLine: [
            ".build/release/bench", "--out", "/tmp/ref2", "--label", "reference", "--export-markdown", "/tmp/ref2.md",
            "--export-json=/tmp/r.json", "--out=/elsewhere", "--runs", "5",
        ])
        #expect(run.rerunArguments(into: "/tmp/new") == ["--label", "reference", "--runs", "5", "--out", "/tmp/new"])
        let experiment = CommittedRun(path: "docs/gil", commandLine: ["bench", "experiment", "gil"])
        #expect(experiment.rerunArguments(into: "/o") == ["experiment", "gil", "--out", "/o"])
    }

    @Test func onlyACompleteQuietRunMayReplaceACommittedOne() throws {
        let scratch = try TemporaryFolder()
        defer { scratch.remove() }
        func refusal(_ meta: String, allowDisturbed: Bool = false) throws -> String? {
            try Self.writeRun(scratch.url, "fresh", meta: meta)
            return CommittedRun.refusal(of: scratch.url.appendingPathComponent("fresh"), allowDisturbed: allowDisturbed)
        }
        #expect(try refusal(#"{"status": "complete", "disturbed": false}"#) == nil)
        #expect(try refusal(#"{"status": "interrupted", "disturbed": false}"#) == "the rerun ended interrupted, not complete")
        let busy = #"{"status": "complete", "disturbed": true, "disturbed_because": ["load average 3.1 on 2 cores"]}"#
        #expect(try refusal(busy) == "the machine was busy while measuring (disturbed: load average 3.1 on 2 cores)")
        #expect(try refusal(busy, allowDisturbed: true) == nil)
        #expect(try refusal("not json") == "the rerun left no readable meta.json")
    }

    /// The rerun's files replace the committed ones (plots/ included); the
    /// write-up stays, and a data file the rerun no longer writes is named.
    @Test func replacingKeepsTheWriteUpAndNamesWhatMayBeStale() throws {
        let package = try TemporaryFolder()
        defer { package.remove() }
        let committed = package.url.appendingPathComponent("docs/gil")
        try FileManager.default.createDirectory(at: committed.appendingPathComponent("plots"), withIntermediateDirectories: true)
        for (file, text) in [("meta.json", "old"), ("raw.csv", "old"), ("README.md", "# prose\n"), ("report.txt", "old"), ("plots/a.png", "old")] {
            try Data(text.utf8).write(to: committed.appendingPathComponent(file))
        }
        let output = package.url.appendingPathComponent("out")
        let fresh = output.appendingPathComponent("20261206T000000Z-gil")
        try FileManager.default.createDirectory(at: fresh.appendingPathComponent("plots"), withIntermediateDirectories: true)
        for file in ["meta.json", "raw.csv", "summary.csv", "plots/a.png", "plots/b.png"] {
            try Data("new".utf8).write(to: fresh.appendingPathComponent(file))
        }
        try FileManager.default.createSymbolicLink(atPath: output.appendingPathComponent("latest").path, withDestinationPath: fresh.lastPathComponent)
        #expect(try CommittedRun.freshFolder(in: output).path == fresh.path)
        let run = CommittedRun(path: "docs/gil", commandLine: ["bench", "experiment", "gil"])
        let (written, kept) = try run.replaceFiles(under: package.url, with: fresh)
        #expect(written == ["meta.json", "plots/a.png", "plots/b.png", "raw.csv", "summary.csv"])
        #expect(kept == ["report.txt"])
        for file in written {
            #expect(try String(contentsOf: committed.appendingPathComponent(file), encoding: .utf8) == "new")
        }
        #expect(try String(contentsOf: committed.appendingPathComponent("README.md"), encoding: .utf8) == "# prose\n")
        // Two run folders under one root: which one is the rerun's is unclear, so none is taken.
        try FileManager.default.createDirectory(at: output.appendingPathComponent("second"), withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: output.appendingPathComponent("second/meta.json"))
        #expect(throws: BenchError.self) { try CommittedRun.freshFolder(in: output) }
    }
}
