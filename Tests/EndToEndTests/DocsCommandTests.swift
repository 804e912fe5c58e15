import Foundation
import Testing
import Harness
import Platform
import TestSupport

/// `bench docs` as a user (and CI) runs it: in the package folder, against
/// the committed runs; and in fixture packages for stale blocks, broken
/// blocks and reruns.
@Suite("bench docs")
struct DocsCommandTests {
    /// CI's check: every generated block of the package's own README.md and
    /// docs/ agrees with the committed runs. It fails when someone edits a
    /// generated table by hand, or changes what a run's report says without
    /// running bench docs.
    @Test func thePackagesPublishedBlocksAgreeWithItsCommittedRuns() throws {
        let result = try BenchBinary.run(["docs", "--check"], currentDirectory: PlotScript.packageRoot)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("agree with the committed runs"))
    }

    /// A package folder (a Package.swift) holding a committed run folder `run` with `meta` as its meta.json.
    static func package(run: String, meta: Data) throws -> (package: TemporaryFolder, run: URL) {
        let package = try TemporaryFolder()
        try Data("// fixture\n".utf8).write(to: package.url.appendingPathComponent("Package.swift"))
        let folder = package.url.appendingPathComponent(run)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try meta.write(to: folder.appendingPathComponent("meta.json"))
        return (package, folder)
    }

    /// A package folder holding a copy of the committed reference run and a README with blocks.
    static func fixture(readme: String) throws -> TemporaryFolder {
        let reference = PlotScript.packageRoot.appendingPathComponent("results/reference")
        let (package, run) = try Self.package(run: "results/reference", meta: try Data(contentsOf: reference.appendingPathComponent("meta.json")))
        for file in ["raw.csv", "summary.csv"] {
            try FileManager.default.copyItem(at: reference.appendingPathComponent(file), to: run.appendingPathComponent(file))
        }
        try Data(readme.utf8).write(to: package.url.appendingPathComponent("README.md"))
        return package
    }

    /// The committed reference run's id, as its meta.json says.
    static let referenceRunID: String = {
        let data = try? Data(contentsOf: PlotScript.packageRoot.appendingPathComponent("results/reference/meta.json"))
        let meta = data.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        return meta?["run_id"] as? String ?? "?"
    }()

    static let readme = """
        # Fixture
        Prose before.
        <!-- bench:begin results/reference meta -->
        <!-- bench:end -->
        Prose between, kept byte for byte.\t
        <!-- bench:begin results/reference table sleep -->
        | a hand-edited | table |
        <!-- bench:end -->
        <!-- bench:begin results/reference csv summary.csv columns=model,workers,speedup where.workload=xor where.workers=64 format.speedup=x -->
        <!-- bench:end -->
        Prose after
        """

    /// A stale block is named with its file, line and words and the command
    /// that fixes it; bench docs rewrites only the blocks; then the check passes.
    @Test func staleBlocksAreNamedThenRewrittenFromTheRun() throws {
        let package = try Self.fixture(readme: Self.readme)
        defer { package.remove() }
        let check = try BenchBinary.run(["docs", "--check"], currentDirectory: package.url)
        #expect(check.status == 1)
        let lines = check.standardError.split(separator: "\n")
        #expect(lines.contains("README.md:3: results/reference meta: stale (differs from what its run gives)"))
        #expect(lines.contains("README.md:6: results/reference table sleep: stale (differs from what its run gives)"))
        #expect(lines.last?.hasPrefix("error: 3 generated blocks differ from the committed runs") == true)
        #expect(lines.last?.contains("run bench docs") == true)
        // --check writes nothing.
        #expect(try String(contentsOf: package.url.appendingPathComponent("README.md"), encoding: .utf8) == Self.readme)

        let write = try BenchBinary.run(["docs"], currentDirectory: package.url)
        #expect(write.status == 0, "\(write.standardError)")
        #expect(write.standardOutput.contains("README.md: 3 blocks rewritten"))
        let text = try String(contentsOf: package.url.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = try GeneratedBlocks(text, file: "README.md")
        // Everything outside the blocks is as the author wrote it.
        #expect(blocks.pieces == (try GeneratedBlocks(Self.readme, file: "README.md")).pieces)
        // The committed run's own words, whichever run is committed.
        let meta = try MetaJSON.read(runFolder: PlotScript.packageRoot.appendingPathComponent("results/reference"))
        let commit = String((meta["git_commit"] as? String ?? "").prefix(7))
        #expect(blocks.blocks[0].content.hasPrefix("measured ") && blocks.blocks[0].content.contains("release build at \(commit)"), "\(blocks.blocks[0].content)")
        #expect(blocks.blocks[1].content.hasPrefix("| model | shape | workers | n | median wall |"))
        #expect(!blocks.blocks[1].content.contains("hand-edited"))
        #expect(blocks.blocks[2].content.hasPrefix("| model | workers | speedup |\n|---|---|---|\n| thread | 64 | "))
        let threadRow = try #require(blocks.blocks[2].content.split(separator: "\n").first { $0.hasPrefix("| thread | 64 | ") })

        let again = try BenchBinary.run(["docs", "--check"], currentDirectory: package.url)
        #expect(again.status == 0, "\(again.standardError)")
        #expect(again.standardOutput.contains("all 3 generated blocks in 1 file agree"))

        // A hand edit inside a block is caught.
        try Data(text.replacingOccurrences(of: String(threadRow), with: "| thread | 64 | 9.99× |").utf8)
            .write(to: package.url.appendingPathComponent("README.md"))
        let edited = try BenchBinary.run(["docs", "--check"], currentDirectory: package.url)
        #expect(edited.status == 1)
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("bench:begin results/reference csv") }) + 1
        #expect(edited.standardError.hasPrefix("README.md:\(line): results/reference csv summary.csv"), "\(edited.standardError)")
        #expect(!edited.standardError.contains("table sleep"))
    }

    /// A block naming what does not exist fails in one line naming file:line, exit 1.
    @Test(arguments: [
        ("results/nothere meta", "README.md:2: results/nothere is not a committed run folder"),
        ("results/reference chrat xor", "README.md:2: unknown view 'chrat'"),
        ("results/reference csv summary.csv columns=model,speed", "README.md:2: results/reference/summary.csv has no column 'speed'"),
        ("results/reference table nope", "README.md:2: run \(referenceRunID) measured no workload 'nope'"),
    ])
    func aBrokenBlockIsOneLineNamingItsPlace(words: String, message: String) throws {
        let package = try Self.fixture(readme: "# x\n<!-- bench:begin \(words) -->\n<!-- bench:end -->\n")
        defer { package.remove() }
        for mode in [["docs", "--check"], ["docs"]] {
            let result = try BenchBinary.run(mode, currentDirectory: package.url)
            #expect(result.status == 1)
            #expect(result.standardError.hasPrefix("error: " + message), "\(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1)
        }
    }

    /// Every file is rendered before any is written: a broken block in a later
    /// file leaves an earlier one's stale block as it was.
    @Test func aBrokenBlockLeavesEveryFileAsItWas() throws {
        let package = try Self.fixture(readme: Self.readme)
        defer { package.remove() }
        let docs = package.url.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        try Data("# notes\n\n<!-- bench:begin results/reference fits -->\n<!-- bench:end -->\n".utf8).write(to: docs.appendingPathComponent("notes.md"))
        let result = try BenchBinary.run(["docs"], currentDirectory: package.url)
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("error: docs/notes.md:3: a fits view names one workload"), "\(result.standardError)")
        #expect(try String(contentsOf: package.url.appendingPathComponent("README.md"), encoding: .utf8) == Self.readme)
    }

    @Test func badUsageIsExit64() throws {
        let package = try Self.fixture(readme: "# x\n")
        defer { package.remove() }
        for words in [["docs", "--check", "--rerun"], ["docs", "gil"], ["docs", "--allow-disturbed"], ["docs", "--rerun", "nope"]] {
            let result = try BenchBinary.run(words, currentDirectory: package.url)
            #expect(result.status == 64, "\(words): \(result.standardError)")
        }
        let elsewhere = try TemporaryFolder()
        defer { elsewhere.remove() }
        let outside = try BenchBinary.run(["docs", "--check"], currentDirectory: elsewhere.url)
        #expect(outside.status == 64)
        #expect(outside.standardError.contains("no Package.swift"))
    }

    /// A fixture committed run whose meta.json records a --quick run: --rerun
    /// measures it again into a temporary folder, replaces its files, then
    /// renders the block from the new run. (The machine here is shared, so the
    /// run may well be disturbed: --allow-disturbed keeps the test about the
    /// rerun, and the refusal of a disturbed run is the unit tests'.)
    @Test func rerunMeasuresACommittedRunAgainAndRendersItsBlocks() throws {
        let command = [
            "bench", "run", "--quick", "--workload", "noop", "--model", "serial,thread", "--workers", "1,2", "--runs", "2", "--no-plot",
            "--label", "tiny", "--out", "/nonexistent/old", "--export-json", "/nonexistent/old.json",
        ]
        let meta = JSONValue.object(["command_line": .array(command.map { .string($0) }), "status": .string("complete"), "started_at": .string("2026-01-01T00:00:00Z")])
        let (package, run) = try Self.package(run: "docs/tiny", meta: try JSONEncoder().encode(meta))
        defer { package.remove() }
        try Data("old\n".utf8).write(to: run.appendingPathComponent("notes.txt"))
        let readme = "# tiny\n<!-- bench:begin docs/tiny table noop -->\n<!-- bench:end -->\nprose\n"
        try Data(readme.utf8).write(to: run.appendingPathComponent("README.md"))

        let result = try BenchBinary.run(
            ["docs", "--rerun", "tiny", "--allow-disturbed", "--binary", BenchBinary.url.path], currentDirectory: package.url)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("bench docs: [1/1] docs/tiny: bench run --quick --workload noop"))
        #expect(result.standardError.contains("--label tiny --out /"))
        #expect(!result.standardError.contains("/nonexistent"))
        #expect(result.standardError.contains("docs/tiny keeps files the rerun did not write, which may now be stale: notes.txt"))
        for file in ["raw.csv", "summary.csv", "meta.json"] {
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), "\(file)")
        }
        let written = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: run.appendingPathComponent("meta.json")))
        #expect(written["status"]?.string == "complete")
        let text = try String(contentsOf: run.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(text.hasPrefix("# tiny\n<!-- bench:begin docs/tiny table noop -->\n| model | shape | workers |"))
        #expect(text.contains("| serial | 1x1 | 1 | 2 |"))
        #expect(text.hasSuffix("<!-- bench:end -->\nprose\n"))
        #expect(result.standardOutput.contains("docs/tiny/README.md: 1 block rewritten"))
    }

    /// A rerun that fails leaves the committed run as it was, says so in one
    /// line, and exits 1.
    @Test func aFailedRerunReplacesNothing() throws {
        let meta = #"{"command_line": ["bench", "run", "--workload", "no-such-workload", "--out", "/x"]}"#
        let (package, run) = try Self.package(run: "docs/broken", meta: Data(meta.utf8))
        defer { package.remove() }
        let result = try BenchBinary.run(["docs", "--rerun", "--binary", BenchBinary.url.path], currentDirectory: package.url)
        // The refused rerun's folder is kept for a look: this test cleans it up.
        if let kept = result.standardError.split(whereSeparator: \.isWhitespace).first(where: { $0.contains("/bench-docs-broken-") }) {
            try? FileManager.default.removeItem(atPath: kept.hasSuffix(";") ? String(kept.dropLast()) : String(kept))
        }
        #expect(result.status == 1)
        #expect(result.standardError.contains("the rerun is kept in /"))
        #expect(result.standardError.contains("; see its output above"))
        #expect(result.standardError.contains("error: docs/broken was not replaced: the rerun exited with status 64"))
        #expect(result.standardError.contains("1 of 1 runs not replaced (broken)"))
        #expect(try String(contentsOf: run.appendingPathComponent("meta.json"), encoding: .utf8) == meta)
        #expect(try FileManager.default.contentsOfDirectory(atPath: run.path) == ["meta.json"])
    }
}
