import Foundation
import Testing
import Harness
import Platform
import TestSupport

/// The print workload through the built binary, on every sink.
@Suite("print end to end", .serialized)
struct PrintEndToEndTests {
    @Test(arguments: ["pipe", "file", "devnull", "tty"])
    func everySinkRunsEndToEnd(sink: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run([
            "run", "--workload", "print", "--model", "serial,thread,async", "--workers", "1,3", "--tasks", "300",
            "--runs", "1", "--warmup", "0", "--sink", sink, "--out", folder.url.path, "--no-plot",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        // The printed lines went to the sink, not to bench's own output.
        #expect(!result.standardOutput.contains("正在消耗"))
        let raw = try String(contentsOf: folder.url.appendingPathComponent("latest/raw.csv"), encoding: .utf8)
        let rows = raw.split(separator: "\n").dropFirst()
        #expect(rows.count == 5)
        let ok = RawCSV.header.firstIndex(of: "ok")!
        #expect(rows.allSatisfy { $0.contains(",line-to-\(sink),") && CSVFormat.fields(of: $0)[ok] == "true" })
        // The sink reader's cost is taken out of the parent's; never more than was counted.
        for row in rows {
            let fields = CSVFormat.fields(of: row)
            for column in ["user_s", "sys_s", "vcsw", "ivcsw"] {
                let value = try #require(Double(fields[RawCSV.header.firstIndex(of: column)!]))
                #expect(value >= 0, "\(column) in \(row)")
            }
        }
    }
}
