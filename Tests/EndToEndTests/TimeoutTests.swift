import Foundation
import Glibc
import Testing
import TestSupport

/// `--timeout` bounds every sample under every model, and the unmeasured
/// reference run; the first SIGTERM stops any phase within a second. Bounds
/// are checked loosely (this machine is shared): a second or two of slack on
/// top of the promise, against the 4 s or more the defects took.
@Suite("timeouts", .serialized)
struct TimeoutTests {
    /// bench run with `arguments`, SIGKILLed after a minute: a bound that fails must not hang the suite.
    static func run(_ arguments: [String], in folder: TemporaryFolder) throws -> BenchBinary.Result {
        try BenchBinary.runProgram(URL(fileURLWithPath: "/usr/bin/timeout"), arguments: [
            "--signal", "KILL", "60", BenchBinary.url.path, "run", "--runs", "1", "--warmup", "0", "--no-plot", "--out", folder.url.path,
        ] + arguments)
    }

    static func runFolder(_ folder: TemporaryFolder) throws -> URL {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasSuffix("-run") }
        try #require(names.count == 1, "\(names)")
        return folder.url.appendingPathComponent(names[0])
    }

    /// No row of raw.csv says ok=true.
    static func expectNoGoodRow(_ folder: TemporaryFolder, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let raw = try CSVTable(url: runFolder(folder).appendingPathComponent("raw.csv"))
        #expect(!raw.column("ok").contains("true"), "\(raw.rows)", sourceLocation: sourceLocation)
    }

    @Test(arguments: ["serial", "thread", "async", "process-pool", "hybrid"])
    func aSampleOverItsTimeoutFailsWithinASecond(_ model: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try Self.run(
            ["--workload", "sleep", "--sleep-ms", "4000", "--tasks", "2", "--workers", "2", "--timeout", "1", "--model", model], in: folder)
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardError.contains("--timeout 1"), "\(result.standardError)")
        // Promised: within timeout + 1 s of the sample's start; bench's own start and a busy machine get 1.5 s more.
        #expect(result.seconds < 3.5, "\(model) took \(result.seconds) s")
        try Self.expectNoGoodRow(folder)
        let status = try MetaJSON.read(runFolder: Self.runFolder(folder))["status"] as? String
        #expect(status == "failed" || status == "abandoned", "\(status ?? "none")")
    }

    /// Samples that end between the timeout and the watchdog's grace are failures too, never rows.
    @Test func aSampleThatEndsPastItsTimeoutIsNoRow() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try Self.run(
            ["--workload", "sleep", "--sleep-ms", "300", "--tasks", "4", "--timeout", "1", "--model", "serial"], in: folder)
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardError.contains("over --timeout 1"), "\(result.standardError)")
        try Self.expectNoGoodRow(folder)
    }

    @Test func theReferenceRunIsBoundedToo() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try Self.run(
            ["--workload", "exec", "--command", "sleep 1000", "--tasks", "2", "--timeout", "1", "--model", "thread", "--workers", "2"],
            in: folder)
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardError.contains("the reference run of exec thread"), "\(result.standardError)")
        #expect(result.seconds < 4, "took \(result.seconds) s")
    }

    /// The first SIGTERM, during a sample that would go on for seconds and
    /// during the reference run: bench stops within a second, the run folder
    /// marked interrupted, and the children gone.
    @Test(arguments: [
        ["--workload", "sleep", "--sleep-ms", "20000", "--tasks", "2", "--model", "thread", "--workers", "2"],
        ["--workload", "sleep", "--sleep-ms", "20000", "--tasks", "2", "--model", "process-pool", "--workers", "2"],
        ["--workload", "exec", "--command", "sleep 1000", "--tasks", "2", "--model", "async", "--workers", "2"],
    ])
    func theFirstSigtermStopsAnyPhaseWithinASecond(_ arguments: [String]) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let bench = try Spawned(BenchBinary.url, ["run", "--runs", "1", "--warmup", "0", "--no-plot", "--out", folder.url.path] + arguments)
        let wanted = arguments.contains("exec") ? "sleep 1000" : arguments.contains("process-pool") ? "bench-worker" : nil
        var children: [Int32] = []
        let started = ProcessTable.eventually(within: 30) {
            children = ProcessTable.descendants(of: bench.pid)
            guard let wanted else { return RunFolders.first(in: folder.url) != nil }
            return children.contains { ProcessTable.commandLine($0).contains(wanted) }
        }
        if !started {
            // Its standard error is complete only once it has ended.
            kill(bench.pid, SIGKILL)
            _ = bench.wait()
            Issue.record("\(arguments): nothing to stop: \(bench.standardError())")
            return
        }
        usleep(500_000)
        children = ProcessTable.descendants(of: bench.pid)
        let sent = Date()
        kill(bench.pid, SIGTERM)
        let status = bench.wait(seconds: 30)
        let seconds = Date().timeIntervalSince(sent)
        #expect(status == 1, "\(bench.standardError())")
        #expect(seconds < 2, "bench took \(seconds) s to stop")
        #expect(bench.standardError().contains("bench: interrupted;"), "\(bench.standardError())")
        #expect(try MetaJSON.read(runFolder: Self.runFolder(folder))["status"] as? String == "interrupted")
        #expect(FileManager.default.fileExists(atPath: try Self.runFolder(folder).appendingPathComponent("summary.csv").path))
        #expect(ProcessTable.eventually(within: 3) { children.allSatisfy(ProcessTable.hasExited) })
        for pid in children where !ProcessTable.hasExited(pid) { kill(pid, SIGKILL) }
    }
}
