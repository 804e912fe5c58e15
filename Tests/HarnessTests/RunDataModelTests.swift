import Foundation
import Testing
@testable import Harness
import Platform
import TestSupport
import Workloads

/// The run data model (`ResultsCSV`, read through `RecordedRun`): a run
/// folder read back gives the samples it was written from, and from them the
/// same files again.
@Suite("Run data model")
struct RunDataModelTests {
    static let reference = PlotScript.packageRoot.appendingPathComponent("results/reference").path

    static func lines(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The committed reference run: raw.csv written again from the samples read
    /// back is the file byte for byte, with the columns it has (an older contract's).
    @Test func rawCSVReadBackIsWrittenAgainByteForByte() throws {
        let run = try RecordedRun(folder: Self.reference)
        let text = ([CSVFormat.line(run.rawColumns)] + run.samples.map { CSVFormat.line(ResultsCSV.rawRow($0, runID: run.id, columns: run.rawColumns)) })
            .map { $0 + "\n" }.joined()
        #expect(text == (try String(contentsOfFile: Self.reference + "/raw.csv", encoding: .utf8)))
        #expect(run.samples.count == (try Self.lines(Self.reference + "/raw.csv")).count - 2)
    }

    /// The summaries rebuilt from the samples read back are summary.csv as the
    /// run wrote it, but for the intervals: the reference run took 5 samples a
    /// cell under the statistics of its day, which gave 5 samples an interval;
    /// today's give none below 6 (DESIGN.md v3). A run of today's is rebuilt
    /// byte for byte (ReportTests).
    @Test func summaryCSVIsRebuiltFromRawCSVAlone() throws {
        let run = try RecordedRun(folder: Self.reference)
        let header = CSVFormat.fields(of: try Self.lines(Self.reference + "/summary.csv")[0])
        let report = InvocationReport(samples: run.samples, excluding: run.failedCells)
        let intervals = ["wall_ci_lo_s", "wall_ci_hi_s", "speedup_ci_lo", "speedup_ci_hi"]
        let kept = header.indices.filter { !intervals.contains(header[$0]) }
        func columns(_ lines: [Substring]) -> [[String]] {
            lines.filter { !$0.isEmpty }.map { line in kept.map { CSVFormat.fields(of: line)[$0] } }
        }
        let rebuilt = columns(ResultsCSV.summaryText(report.summaries, columns: header).split(separator: "\n"))
        let written = columns(try Self.lines(Self.reference + "/summary.csv"))
        let first = zip(rebuilt, written).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(rebuilt == written, "line \((first ?? 0) + 1):\n\(first.map { rebuilt[$0] } ?? [])\n\(first.map { written[$0] } ?? [])")
        #expect(rebuilt.count == 106)
    }

    /// A cell's parameters are parsed through its workload's declaration; an
    /// unknown workload's are kept as text, and still written back as read.
    @Test func parametersAreTypedByTheirDeclarationOrKeptAsText() throws {
        let header = ResultsCSV.rawHeader
        func row(_ workload: String, _ params: String) -> ResultsCSV.RowFields {
            var fields = ResultsCSV.rawRow(
                Sample(
                    cell: Cell(index: 0, workload: "xor", kind: .cpu, work: .none, parameters: ParameterValues(), model: "serial", shape: .serial, tasks: 4),
                    order: 1, repetition: 1, wallSeconds: 0.5, setupSeconds: 0, usage: .zero, maxRSSKilobytes: 1, checksum: Checksum(), ok: true),
                runID: "r")
            fields[header.firstIndex(of: "workload")!] = workload
            fields[header.firstIndex(of: "params")!] = params
            return ResultsCSV.RowFields(header: header, fields: fields)
        }
        let known = ResultsCSV.cell(row("sleep", "sleep-ms=7"), index: 0, quick: false)
        #expect(known.parameters["sleep-ms"] == .number(7))
        #expect(known.distinguishing == "sleep-ms=7")
        let unknown = ResultsCSV.cell(row("sha256", "block-bytes=64;mode=fast"), index: 0, quick: false)
        #expect(unknown.parameters["block-bytes"] == .text("64"))
        #expect(unknown.parameters.description == "block-bytes=64;mode=fast")
    }
}
