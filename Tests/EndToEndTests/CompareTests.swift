import Foundation
import Testing
@testable import Bench
import Engine
@testable import Harness
import Platform
import TestSupport
import Workloads

/// `bench compare` on fabricated runs whose answer is known.
@Suite("Compare runs")
struct CompareTests {
    /// Writes a run folder whose raw.csv holds `walls` for one thread cell and a serial cell.
    static func fabricateRun(in root: URL, name: String, threadWalls: [Double], extraCell: Bool = false) throws -> URL {
        let folder = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var lines = [CSVFormat.line(ResultsCSV.rawHeader)]
        func row(_ model: String, _ threads: Int, _ wall: Double, _ order: Int) -> String {
            "\(name),\(order),xor,cpu,\(model),1,\(threads),\(threads),8,1000,iterations,\(order),\(wall),0.0001,0.1,0.0,1000,1,1,0x0000000000000001,true,,,iterations=1000,,,,9000,6000,0.000100000,0,,,,"
        }
        for (index, wall) in threadWalls.enumerated() {
            lines.append(row("thread", 2, wall, index + 1))
            lines.append(row("serial", 1, 1.0 + Double(index) * 0.001, index + 1))
        }
        if extraCell { lines.append(row("thread", 4, 0.3, 99)) }
        try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("raw.csv"), atomically: true, encoding: .utf8)
        return folder
    }

    /// 7 samples a side: each median's interval is [min, max] (misses of 1/64 each),
    /// so new/old lies in [0.59 / 0.51, 0.61 / 0.49] = [1.16, 1.24], wholly above 1.05.
    @Test func flagsARegressionOnlyBeyondTheThreshold() throws {
        let temporary = try TemporaryFolder()
        defer { temporary.remove() }
        let old = try RecordedRun(folder: Self.fabricateRun(in: temporary.url, name: "old", threadWalls: [0.50, 0.51, 0.49, 0.50, 0.505, 0.495, 0.50]).path)
        let slower = try RecordedRun(folder: Self.fabricateRun(in: temporary.url, name: "slower", threadWalls: [0.60, 0.61, 0.59, 0.60, 0.605, 0.595, 0.60], extraCell: true).path)
        let comparison = RunComparison(old: old, new: slower, threshold: 0.05)
        #expect(comparison.rows.count == 2)
        #expect(comparison.regressions == 1)
        #expect(comparison.unmatched == 1)
        let thread = try #require(comparison.rows.first { $0.cell.model == "thread" })
        #expect(abs(thread.ratio - 1.2) < 1e-9)
        #expect(thread.verdict == .regressed)
        // A 20% slowdown is not a regression when the threshold is 30%.
        #expect(RunComparison(old: old, new: slower, threshold: 0.30).regressions == 0)
        // The other way round it is an improvement.
        #expect(RunComparison(old: slower, new: old, threshold: 0.05).improvements == 1)
    }

    @Test func exitCodesGateACIJob() throws {
        let temporary = try TemporaryFolder()
        defer { temporary.remove() }
        let old = try Self.fabricateRun(in: temporary.url, name: "old", threadWalls: [0.50, 0.51, 0.49, 0.50, 0.50, 0.51, 0.49])
        let same = try Self.fabricateRun(in: temporary.url, name: "same", threadWalls: [0.50, 0.50, 0.51, 0.49, 0.50, 0.505, 0.495])
        let slower = try Self.fabricateRun(in: temporary.url, name: "slower", threadWalls: [0.70, 0.71, 0.69, 0.70, 0.70, 0.71, 0.69])
        #expect(try BenchBinary.run(["compare", old.path, same.path]).status == 0)
        let regressed = try BenchBinary.run(["compare", old.path, slower.path])
        #expect(regressed.status == 2)
        #expect(regressed.standardOutput.contains("regressed"))
        #expect(try BenchBinary.run(["compare", old.path]).status == 64)
        #expect(try BenchBinary.run(["compare", old.path, temporary.url.path]).status == 64)
        #expect(try BenchBinary.run(["compare", old.path, same.path, "--threshold", "abc"]).status == 64)
    }

    @Test func aRunOfTheFirstCSVContractComparesWithANewOne() throws {
        let temporary = try TemporaryFolder()
        defer { temporary.remove() }
        let new = try Self.fabricateRun(in: temporary.url, name: "new", threadWalls: [0.50, 0.51, 0.49])
        // The same cells in CSV contract v1: no task, params or queue columns.
        let old = temporary.url.appendingPathComponent("old")
        try FileManager.default.createDirectory(at: old, withIntermediateDirectories: true)
        let v1Header = "run_id,order,workload,kind,model,processes,threads,workers,tasks,work,work_unit,repeat,wall_s,setup_s,user_s,sys_s,max_rss_kb,vcsw,ivcsw,checksum,ok"
        var lines = [v1Header]
        for index in 1...3 {
            lines.append("old,\(index),xor,cpu,thread,1,2,2,8,1000,iterations,\(index),0.5,0.0001,0.1,0.0,1000,1,1,0x1,true")
            lines.append("old,\(index),xor,cpu,serial,1,1,1,8,1000,iterations,\(index),1.0,0.0001,0.1,0.0,1000,1,1,0x1,true")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: old.appendingPathComponent("raw.csv"), atomically: true, encoding: .utf8)
        let comparison = RunComparison(old: try RecordedRun(folder: old.path), new: try RecordedRun(folder: new.path), threshold: 0.05)
        #expect(comparison.rows.count == 2)
        #expect(comparison.unmatched == 0)
    }

    @Test func oneSampleIsNoVerdictAndAnIncompleteRunIsWarnedAbout() throws {
        let temporary = try TemporaryFolder()
        defer { temporary.remove() }
        let old = try Self.fabricateRun(in: temporary.url, name: "old", threadWalls: [0.5])
        let new = try Self.fabricateRun(in: temporary.url, name: "new", threadWalls: [5.0])
        let comparison = RunComparison(old: try RecordedRun(folder: old.path), new: try RecordedRun(folder: new.path), threshold: 0.05)
        #expect(comparison.regressions == 0, "one sample is no evidence, however large the change")
        #expect(comparison.rows.allSatisfy { $0.verdict == .inconclusive })
        try #"{"status" : "running"}"#.write(to: new.appendingPathComponent("meta.json"), atomically: true, encoding: .utf8)
        let result = try BenchBinary.run(["compare", old.path, new.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("is not a complete run (meta.json status: running)"))
        #expect(result.standardError.contains("\(old.path) is not a complete run (meta.json status: unreadable)"))
    }

    @Test func differentMachinesAreWarnedAboutAndChangesAreHeldToTheCalibrationFloors() throws {
        let temporary = try TemporaryFolder()
        defer { temporary.remove() }
        let old = try Self.fabricateRun(in: temporary.url, name: "old", threadWalls: [0.5000, 0.5001, 0.4999])
        let new = try Self.fabricateRun(in: temporary.url, name: "new", threadWalls: [0.5003, 0.5004, 0.5002])
        func meta(_ swift: String) -> String {
            #"{"status" : "complete", "swift_version" : "\#(swift)", "build_configuration" : "release", "host" : {"host_name" : "vm", "logical_cores" : 2}}"#
        }
        try meta("6.3").write(to: old.appendingPathComponent("meta.json"), atomically: true, encoding: .utf8)
        try meta("6.4").write(to: new.appendingPathComponent("meta.json"), atomically: true, encoding: .utf8)
        let calibration = temporary.url.appendingPathComponent("20260101T000000Z-calibrate")
        try FileManager.default.createDirectory(at: calibration, withIntermediateDirectories: true)
        try """
            measurement,unit,samples,median,min,max,ci_lo,ci_hi
            thread create + join,s,20,0.000020000,0.00002,0.00003,0.00002,0.00003
            worker start: spawn + ready of bench-worker,s,20,0.000800000,0.0007,0.0009,0.0007,0.0009
            oversleep of 1 ms (blocking),s,40,0.000070000,0.00006,0.00008,0.00006,0.00008

            """.write(to: calibration.appendingPathComponent("calibration.csv"), atomically: true, encoding: .utf8)
        let result = try BenchBinary.run(["compare", old.path, new.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("the runs differ in Swift: 6.3 (old) vs 6.4 (new)"), "\(result.standardError)")
        #expect(result.standardError.contains("floors: \(calibration.path)/calibration.csv"), "\(result.standardError)")
        // 0.3 ms slower: more than 2 threads starting (40 µs) or a timer oversleeping (70 µs).
        let thread = try #require(result.standardOutput.split(separator: "\n").first { $0.contains("xor thread") })
        #expect(thread.contains("beyond"), "\(thread)")
        #expect(result.standardOutput.contains("CPU new/old"))
    }

    /// Runs that differ only in how their cells ran (--start-method,
    /// --chunksize) measured different things under the same names: compare
    /// refuses them, unless --force, and then says so.
    @Test func runsWithDifferentSettingsAreRefusedUnlessForced() throws {
        let temporary = try TemporaryFolder()
        defer { temporary.remove() }
        let old = try Self.fabricateRun(in: temporary.url, name: "old", threadWalls: [0.50, 0.51, 0.49, 0.50, 0.50, 0.51, 0.50])
        // 7 samples a side: the fewest with which a ratio of two medians has a 95% interval.
        let new = try Self.fabricateRun(in: temporary.url, name: "new", threadWalls: [0.90, 0.91, 0.89, 0.90, 0.90, 0.91, 0.90])
        func meta(_ startMethod: String, chunksize: Int?) -> String {
            let chunk = chunksize.map { #", "chunksize" : \#($0)"# } ?? ""
            return #"{"status" : "complete", "parameters" : {"start_method" : "\#(startMethod)", "dispatch" : "static", "task_timing" : true\#(chunk)}}"#
        }
        try meta("forkserver", chunksize: nil).write(to: old.appendingPathComponent("meta.json"), atomically: true, encoding: .utf8)
        try meta("spawn", chunksize: 1).write(to: new.appendingPathComponent("meta.json"), atomically: true, encoding: .utf8)
        let refused = try BenchBinary.run(["compare", old.path, new.path])
        #expect(refused.status == 64, "\(refused.standardError)")
        #expect(refused.standardError.contains(
            "the runs were measured with different settings: --start-method forkserver (old) vs spawn (new); --chunksize default (old) vs 1 (new)"),
            "\(refused.standardError)")
        #expect(!refused.standardOutput.contains("regressed"))
        let forced = try BenchBinary.run(["compare", old.path, new.path, "--force"])
        #expect(forced.status == 2, "\(forced.standardError)")
        #expect(forced.standardError.contains("warning: the runs were measured with different settings"), "\(forced.standardError)")
    }

    /// As the README says: a last row cut short by a crash is skipped with a warning.
    @Test func aLastRowCutShortIsSkippedWithAWarning() throws {
        let temporary = try TemporaryFolder()
        defer { temporary.remove() }
        let old = try Self.fabricateRun(in: temporary.url, name: "old", threadWalls: [0.50, 0.51, 0.49])
        let new = try Self.fabricateRun(in: temporary.url, name: "new", threadWalls: [0.50, 0.50, 0.51])
        let raw = new.appendingPathComponent("raw.csv")
        try (try String(contentsOf: raw, encoding: .utf8) + "new,9,xor,cpu,thr").write(to: raw, atomically: true, encoding: .utf8)
        let result = try BenchBinary.run(["compare", old.path, new.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("warning: \(raw.path) line 8: the last row has no line end (cut short by a crash?); it is skipped"), "\(result.standardError)")
        #expect(result.standardOutput.contains("2 cells compared"), "\(result.standardOutput)")
    }

    /// As plot.sh names it: `FILE:LINE: N fields, but the header has M`.
    @Test func damagedRawCSVNamesTheLine() throws {
        let temporary = try TemporaryFolder()
        defer { temporary.remove() }
        let folder = try Self.fabricateRun(in: temporary.url, name: "damaged", threadWalls: [0.5])
        let raw = folder.appendingPathComponent("raw.csv")
        let text = try String(contentsOf: raw, encoding: .utf8) + "damaged,row\n"
        try text.write(to: raw, atomically: true, encoding: .utf8)
        #expect {
            try RecordedRun(folder: folder.path)
        } throws: { error in
            "\(error)".contains("raw.csv:4: 2 fields, but the header has")
        }
    }
}
