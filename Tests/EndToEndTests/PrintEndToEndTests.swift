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
        let raw = try CSVTable(url: folder.url.appendingPathComponent("latest/raw.csv"))
        #expect(raw.rows.count == 5)
        #expect(raw.rows(matching: ["work_unit": "line-to-\(sink)", "ok": "true"]).count == raw.rows.count)
        // The sink reader's cost is taken out of the parent's; never more than was counted.
        for row in raw.rows {
            for column in ["user_s", "sys_s", "vcsw", "ivcsw"] {
                let value = try #require(Double(row[column] ?? ""))
                #expect(value >= 0, "\(column) in \(row)")
            }
        }
    }
}
