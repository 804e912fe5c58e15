import Foundation
import Glibc
import Testing
import TestSupport

/// What bench writes outside the run folder: the crawl deletes only its own
/// images, and scratch a SIGKILLed bench left under `$TMPDIR/bench-<uid>/`
/// is reclaimed at the next start.
@Suite("scratch", .serialized)
struct ScratchTests {
    @Test func aFileAddedToTheCrawlDirIsReportedAsForeignAndKept() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let images = folder.url.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: false)
        let out = folder.url.appendingPathComponent("results")
        let bench = try Spawned(BenchBinary.url, [
            "run", "--workload", "crawl", "--quick", "--model", "serial", "--runs", "1000", "--warmup", "0", "--no-plot",
            "--crawl-dir", images.path, "--out", out.path,
        ])
        #expect(ProcessTable.eventually(within: 60) { RunFolders.rows(in: out) >= 1 })
        let stray = images.appendingPathComponent("notes.txt")
        #expect(FileManager.default.createFile(atPath: stray.path, contents: Data("mine\n".utf8)))
        let status = bench.wait(seconds: 120)
        let errors = bench.standardError()
        #expect(status == 1, "\(errors)")
        #expect(errors.contains("that the crawl did not write (e.g. notes.txt); they are kept"), "\(errors)")
        #expect(!errors.contains("bug in the model"), "\(errors)")
        #expect((try? String(contentsOf: stray, encoding: .utf8)) == "mine\n")
    }

    /// bench with TMPDIR in `folder`, SIGKILLed once its scratch entry of `kind` exists; returns the entry.
    static func killedLeavingScratch(_ arguments: [String], kind: String, in folder: TemporaryFolder) throws -> URL {
        let scratch = folder.url.appendingPathComponent("bench-\(getuid())")
        let bench = try Spawned(
            BenchBinary.url, arguments + ["--no-plot", "--out", folder.url.appendingPathComponent("results").path],
            environment: ["TMPDIR": folder.url.path])
        var entry: String?
        let made = ProcessTable.eventually(within: 60) {
            entry = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path))?.first { $0.hasPrefix("\(kind)-\(bench.pid)-") }
            return entry != nil && RunFolders.rows(in: folder.url.appendingPathComponent("results")) >= 1
        }
        kill(bench.pid, SIGKILL)
        _ = bench.wait()
        let name = try #require(entry, "no \(kind) scratch under \(scratch.path): \(bench.standardError())")
        #expect(made)
        let left = scratch.appendingPathComponent(name)
        #expect(FileManager.default.fileExists(atPath: left.path), "SIGKILL gives bench no chance to remove it")
        return left
    }

    static func expectReclaimedByTheNextStart(_ left: URL, in folder: TemporaryFolder, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let next = try BenchBinary.run(["list"], environment: ["TMPDIR": folder.url.path])
        #expect(next.status == 0, sourceLocation: sourceLocation)
        #expect(ProcessTable.eventually(within: 5) { !FileManager.default.fileExists(atPath: left.path) }, "\(left.path) is still there", sourceLocation: sourceLocation)
    }

    @Test func aKilledCrawlsImagesAreReclaimedAtTheNextStart() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let left = try Self.killedLeavingScratch(
            ["run", "--workload", "crawl", "--quick", "--model", "thread", "--workers", "4", "--runs", "1000", "--warmup", "0"],
            kind: "crawl", in: folder)
        // A live bench's entry is never taken for a dead one's.
        let live = try Spawned(URL(fileURLWithPath: "/bin/sleep"), ["30"])
        let keep = left.deletingLastPathComponent().appendingPathComponent("crawl-\(live.pid)-abcdef")
        try FileManager.default.createDirectory(at: keep, withIntermediateDirectories: false)
        try Self.expectReclaimedByTheNextStart(left, in: folder)
        #expect(FileManager.default.fileExists(atPath: keep.path))
    }

    @Test(.enabled(if: RedisServer.executable != nil, "redis-server is not installed"))
    func aKilledDistributedRunsRedisFolderIsReclaimedAtTheNextStart() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let left = try Self.killedLeavingScratch(
            ["run", "--workload", "sleep", "--sleep-ms", "20", "--tasks", "8", "--model", "distributed", "--runs", "1000", "--warmup", "0"],
            kind: "redis", in: folder)
        try Self.expectReclaimedByTheNextStart(left, in: folder)
    }
}
