import Foundation
import Testing
@testable import Harness
import Platform
import TestSupport

@Suite("Docs generated from committed runs")
struct DocsSiteTests {
    static let csv = """
        claim_id,language,value,ci_lo,ci_hi,verdict
        threads-cpu,python,1.0115,0.9667,1.0718,holds
        threads-cpu,swift,1.9748,1.9379,2.0383,does-not-hold
        io,python,12.5,,,inconclusive

        """

    @Test func aCSVViewPicksColumnsRowsAndFormats() throws {
        let view = try CSVView(words: ["experiment.csv", "columns=language,value:speedup,ci_lo", "where.claim_id=threads-cpu|io", "where.language=python", "format.value=x", "format.ci_lo=f2"])
        #expect(try view.render(Self.csv, path: "x/experiment.csv") == """
            | language | speedup | ci_lo |
            |---|---|---|
            | python | 1.01× | 0.97 |
            | python | 12.5× | - |

            """)
    }

    @Test func aCSVViewNamesWhatItCannotFind() throws {
        let view = try CSVView(words: ["experiment.csv", "columns=nope"])
        #expect(throws: BenchError.self) { try view.render(Self.csv, path: "x/experiment.csv") }
        let none = try CSVView(words: ["experiment.csv", "columns=value", "where.language=rust"])
        #expect(throws: BenchError.self) { try none.render(Self.csv, path: "x/experiment.csv") }
        #expect(throws: BenchError.self) { try CSVView(words: ["experiment.csv"]) }
        #expect(throws: BenchError.self) { try CSVView(words: ["experiment.csv", "columns=a", "colour=red"]) }
    }

    @Test func formatsSecondsRatiosAndShares() {
        #expect(CSVView.format("0.0656025", as: "ms") == "65.60 ms")
        #expect(CSVView.format("0.0000046", as: "us") == "4.6 µs")
        #expect(CSVView.format("0.42", as: "pct") == "42%")
        #expect(CSVView.format("3.6", as: "int") == "4")
        #expect(CSVView.format("", as: "ms") == "-")
        #expect(CSVView.format("pipe", as: "ms") == "pipe")
    }

    @Test func theMetaLineSaysWhenWhereAndHowQuiet() throws {
        let meta = try JSONDecoder().decode(JSONValue.self, from: Data("""
            {"started_at": "2026-12-06T04:17:24Z", "status": "complete", "build_configuration": "release",
             "git_commit": "6c5602fd56cbbd63", "host": {"cpu_model": "Xeon", "logical_cores": 2},
             "machine_load": {"during": {"other_cpu_cores": 0.01, "steal_percent": 0.0}}, "disturbed": false}
            """.utf8))
        let line = try MetaLine.render(meta, path: "m")
        #expect(line ==
            "measured 2026-12-06 04:17 UTC on Xeon (2 cores), release build at 6c5602f; other processes kept 0.01 cores busy, steal 0.0%; quiet")
    }

    @Test func linksAreRelativeToTheFileThatHoldsThem() {
        #expect(DocsViews.relative("results/reference/plots/a.png", from: "") == "results/reference/plots/a.png")
        #expect(DocsViews.relative("docs/gil/gil.png", from: "docs/gil") == "gil.png")
        #expect(DocsViews.relative("results/reference/plots/a.png", from: "docs/gil") == "../../results/reference/plots/a.png")
    }

    @Test func checkFindsTheBlocksThatNoLongerMatchTheirRun() throws {
        let package = try TemporaryFolder()
        defer { package.remove() }
        let run = package.url.appendingPathComponent("docs/gil")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        try #"{"started_at": "2026-12-06T04:17:24Z", "status": "complete"}"#.write(to: run.appendingPathComponent("meta.json"), atomically: true, encoding: .utf8)
        try Self.csv.write(to: run.appendingPathComponent("experiment.csv"), atomically: true, encoding: .utf8)
        let block = "<!-- bench:begin docs/gil csv experiment.csv columns=language,verdict where.claim_id=threads-cpu -->"
        try "# gil\n\(block)\n| stale |\n<!-- bench:end -->\nprose\n".write(to: run.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        try "# bench\n".write(to: package.url.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let site = DocsSite(root: package.url, views: DocsViews())
        #expect(site.files == ["README.md", "docs/gil/README.md"])
        let first = try site.render("docs/gil/README.md")
        #expect(first.stale.map(\.line) == [2])
        #expect(first.rendered == "# gil\n\(block)\n| language | verdict |\n|---|---|\n| python | holds |\n| swift | does-not-hold |\n<!-- bench:end -->\nprose\n")
        try first.rendered.write(to: run.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        #expect(try site.render("docs/gil/README.md").stale.isEmpty)
        #expect(try site.render("README.md").stale.isEmpty)
    }
}
