import Foundation
import Testing
@testable import Bench
import Engine
import Harness
import Platform
import TestSupport
import Workloads

@Suite("calibrate")
struct CalibrateTests {
    @Test func runsEndToEndAndWritesEveryFloor() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run(["calibrate", "--repeat", "2", "--out", folder.url.path])
        #expect(result.status == 0, "\(result.standardError)")
        for name in [
            "thread create + join", "worker start: spawn + ready of bench-worker", "worker start: fork server fork + ready",
            "process spawn + exit (true)", "dispatch per task: thread", "dispatch per task: process-async",
            "oversleep of 1 ms (blocking)", "oversleep of 50 ms (Task.sleep)", "xor loop",
        ] {
            #expect(result.standardOutput.contains(name), "\(name)")
        }
        if PackageFile.onPath("python3") != nil {
            #expect(result.standardOutput.contains("python driver: spawn to report"))
            #expect(result.standardOutput.contains("process spawn + exit (python3 -S -c pass)"))
        }
        let runs = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
        let run = try #require(runs.first { $0.hasSuffix("-calibrate") })
        let csv = try String(contentsOf: folder.url.appendingPathComponent(run).appendingPathComponent("calibration.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines.first == Substring(CSVFormat.line(Calibration.csvHeader)))
        for line in lines.dropFirst() {
            let fields = CSVFormat.fields(of: line)
            #expect(fields.count == Calibration.csvHeader.count)
            // A floor is a real, positive measurement (oversleep included: a sleep never ends early).
            #expect((Double(fields[3]) ?? -1) > 0, "\(line)")
        }
    }

    @Test func rejectsBadRepeat() throws {
        let result = try BenchBinary.run(["calibrate", "--repeat", "0"])
        #expect(result.status == 64)
    }
}
