import Foundation
import Testing
import Harness
import Platform
import TestSupport

/// The crawl workload and the crawler experiment through the built binary.
@Suite("Crawler", .serialized)
struct CrawlerTests {
    @Test func theCrawlerExperimentRunsBothPipelinesInBothLanguages() throws {
        try #require(PackageFile.onPath("python3") != nil, "python3 is needed (.ci/run installs it)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run(["experiment", "crawler", "--quick", "--runs", "2", "--out", folder.url.path, "--no-plot"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("crawl speedup over serial") && result.standardOutput.contains("50 threads download"))
        let run = folder.url.appendingPathComponent("latest")
        let raw = try CSVTable(url: run.appendingPathComponent("raw.csv"))
        #expect(raw.rows.allSatisfy { $0["ok"] == "true" && $0["workload"] == "crawl" })
        #expect(Set(raw.column("model")) == ["serial", "thread", "async", "process-pool", "hybrid", "python-serial", "python-thread", "python-async", "python-process-pool"])
        #expect(Set(raw.column("params").map { $0.contains("pipeline=overlapped") }) == [true, false])
        let claims = try CSVTable(url: run.appendingPathComponent("experiment.csv"))
        #expect(claims.header == ClaimsTable.csvHeader)
        #expect(Set(claims.column("claim_id")) == ["threads-help-phased", "threads-help-overlapped", "fill-first-costs-nothing"])
        #expect(Set(claims.column("language")) == ["python", "swift"])
    }

    @Test func badCrawlInputIsAUsageError() throws {
        for arguments in [
            ["run", "--workload", "crawl", "--crawl-pages", "0"], ["run", "--workload", "crawl", "--pipeline", "sideways"],
            ["run", "--workload", "crawl", "--crawl-image-bytes", "10"], ["run", "--workload", "crawl", "--crawl-dir", "/nonexistent/folder"],
            ["run", "--workload", "crawl", "--model", "serial", "--quick", "--tasks", "31", "--no-plot"],
            ["experiment", "crawler", "--crawl-links", "x"],
        ] {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let result = try BenchBinary.run(arguments + ["--out", folder.url.path])
            #expect(result.status == 64, "\(arguments): \(result.standardError)")
        }
    }
}
