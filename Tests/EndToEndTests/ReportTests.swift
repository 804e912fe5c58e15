import Foundation
import Harness
import Testing
import TestSupport

/// report.html and compare-<old>.html as bench writes them, opened in a real
/// headless Chromium: every chart renders, the console stays quiet, nothing
/// is requested beyond the file (its inlined data: images aside), and a run
/// whose every text field is hostile shows that text as text. A failing
/// browser check leaves a screenshot in /tmp.
@Suite("Report page", .serialized)
struct ReportTests {
    /// Text from a run that would be markup if it were not escaped; each piece
    /// logs to the console if it ever runs.
    static let hostile = "\"><img src=x onerror=\"console.error('injected img')\"><script>console.error('injected script')</script></table>'"
    /// The same for the params column, which may hold no `=` or `;` of its own.
    static let hostileParameter = "</table><script>console.error('injected params')</script>"

    /// A tiny measured run of two workloads (`path`: another PATH); returns its folder.
    static func measure(in root: URL, label: String, extra: [String] = [], path: String? = nil) throws -> (URL, BenchBinary.Result) {
        let result = try BenchBinary.run([
            "run", "--workload", "xor,sleep", "--model", "serial,thread", "--workers", "1,2", "--tasks", "4", "--runs", "2",
            "--warmup", "0", "--iterations", "10000", "--sleep-ms", "1", "--out", root.path, "--label", label,
        ] + extra, environment: path.map { ["PATH": $0] } ?? [:])
        return (root.appendingPathComponent("latest").resolvingSymlinksInPath(), result)
    }

    /// Loads `page` and checks what every report must satisfy; returns the load for more checks.
    @discardableResult
    static func check(_ page: URL, in browser: HeadlessBrowser, charts: Int, name: String) throws -> HeadlessBrowser.PageLoad {
        let load = try browser.load(page)
        let sizes = try #require(browser.evaluate(
            "[...document.querySelectorAll('figure img')].map(i => [i.complete && i.naturalWidth > 0, i.getBoundingClientRect().width, i.getBoundingClientRect().height])")
            as? [[Any]])
        let drawn = sizes.filter { $0[0] as? Bool == true && ($0[1] as? Double ?? 0) > 0 && ($0[2] as? Double ?? 0) > 0 }
        let outside = load.requests.filter { !$0.hasPrefix("data:") && $0 != page.absoluteString }
        #expect(sizes.count == charts, "\(name): \(sizes.count) charts on the page, \(charts) in plots/")
        #expect(drawn.count == sizes.count, "\(name): charts without a size: \(sizes)")
        #expect(load.consoleErrors.isEmpty, "\(name): \(load.consoleErrors)")
        #expect(outside.isEmpty, "\(name): requests beyond the file: \(outside)")
        if drawn.count != charts || !load.consoleErrors.isEmpty || !outside.isEmpty {
            let shot = URL(fileURLWithPath: "/tmp/report-test-\(name).png")
            try? browser.screenshot(to: shot)
            Issue.record("\(name): screenshot of the page in \(shot.path)")
        }
        return load
    }

    @Test func theReferenceRunsReportRendersEveryChart() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // Never written into the committed folder: a copy.
        let copy = folder.url.appendingPathComponent("reference")
        try FileManager.default.copyItem(at: PlotScript.packageRoot.appendingPathComponent("results/reference"), to: copy)
        let result = try BenchBinary.run(["report", copy.path])
        #expect(result.status == 0, "\(result.standardError)")
        let page = copy.appendingPathComponent("report.html")
        let charts = PlotScript.charts(in: copy, suffix: ".svg").count
        #expect(charts >= 30)
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        try Self.check(page, in: browser, charts: charts, name: "reference")
        // One table per group of cells (xor, sleep, noop, print, http) and one for meta.json.
        #expect(try browser.evaluate("document.querySelectorAll('table').length") as? Int == 6)
        #expect(try browser.evaluate("document.body.textContent.includes('fits.csv') && document.body.textContent.includes('raw.csv')") as? Bool == true)
        #expect(try browser.evaluate("[...document.querySelectorAll('h2')].map(h => h.textContent).join('|')") as? String
            == "xor, 64 tasks, iterations=2000000|sleep, 64 tasks, sleep-ms=5|noop, 20000 tasks|print, 20000 tasks, line-buffered=false;sink=pipe|"
            + "http, 64 tasks, http-bytes=1024;http-client=native;http-latency-ms=5;http-url=;keep-alive=false|Machine, build and settings (meta.json)")
    }

    @Test func everyRunGetsAReportAfterItsChartsAndNoReportSkipsIt() throws {
        try PlotScript.requireGnuplot()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let export = folder.url.appendingPathComponent("exported.html")
        let (run, result) = try Self.measure(in: folder.url, label: "charted", extra: ["--export-html", export.path])
        try #require(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("report: \(run.path)/report.html"), "\(result.standardError)")
        let charts = PlotScript.charts(in: run, suffix: ".svg").count
        #expect(charts >= 8, "the tiny run's charts")
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        try Self.check(run.appendingPathComponent("report.html"), in: browser, charts: charts, name: "run")
        // The export elsewhere has the same charts inline, and links the folder's files by their full path.
        try Self.check(export, in: browser, charts: charts, name: "export")
        let links = try #require(browser.evaluate("[...document.querySelectorAll('p.links a')].map(a => a.href)") as? [String])
        #expect(links.contains(run.appendingPathComponent("raw.csv").absoluteString), "\(links)")

        let (skipped, quiet) = try Self.measure(in: folder.url, label: "skipped", extra: ["--no-report", "--no-plot"])
        try #require(quiet.status == 0, "\(quiet.standardError)")
        #expect(!FileManager.default.fileExists(atPath: skipped.appendingPathComponent("report.html").path), "--no-report wrote report.html")
    }

    /// An experiment's folder gets its page too, with its claims and its own
    /// chart; `bench report` makes the same page again from the folder alone.
    @Test func anExperimentsReportIsWrittenAgainByteForByte() throws {
        try PlotScript.requireGnuplot()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.run(["experiment", "seed-400", "--items", "300", "--runs", "1", "--warmup", "0", "--out", folder.url.path])
        try #require(result.status == 0, "\(result.standardError)")
        let run = folder.url.appendingPathComponent("latest").resolvingSymlinksInPath()
        let page = run.appendingPathComponent("report.html")
        let first = try Data(contentsOf: page)
        let again = try BenchBinary.run(["report", run.path])
        #expect(again.status == 0, "\(again.standardError)")
        #expect(try Data(contentsOf: page) == first, "bench report judged the folder otherwise than the run did")
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        try Self.check(page, in: browser, charts: PlotScript.charts(in: run, suffix: ".svg").count, name: "seed-400")
        #expect(try browser.evaluate("document.querySelector('#claims').textContent.startsWith('Claims: ')") as? Bool == true)
        #expect(try browser.evaluate("[...document.querySelectorAll('figcaption')].some(c => c.textContent.startsWith('seed-400 '))") as? Bool == true)
    }

    @Test func aRunWithoutChartsGetsTheTablesAndANote() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // No gnuplot on PATH: plot.sh is not called, and the page says how to draw them.
        let (run, result) = try Self.measure(in: folder.url, label: "plain", path: try PlotScript.pathWithoutGnuplot(in: folder.url))
        try #require(result.status == 0, "\(result.standardError)")
        let page = run.appendingPathComponent("report.html")
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        try Self.check(page, in: browser, charts: 0, name: "no-charts")
        let warnings = try #require(browser.evaluate("[...document.querySelectorAll('p.warning')].map(p => p.textContent)") as? [String])
        #expect(warnings.contains(
            "No charts: this folder has none in plots/ (gnuplot missing, or --no-plot). Draw them (apt-get install gnuplot-nox if needed) with ./plot.sh \(run.path), then bench report \(run.path)."), "\(warnings)")
        // serial, thread 1x1 and 1x2 of each workload.
        #expect(try browser.evaluate("document.querySelectorAll('tbody tr[data-model]').length") as? Int == 6)
    }

    /// A measured run whose every text field bench reads back is hostile:
    /// the workload, model, params and run id of raw.csv, meta.json's command
    /// line and host, claims.csv, and a chart whose file name and SVG hold markup.
    @Test func hostileTextInARunFolderStaysText() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (run, result) = try Self.measure(in: folder.url, label: "hostile", extra: ["--no-plot", "--no-report"])
        try #require(result.status == 0, "\(result.standardError)")
        let raw = try String(contentsOf: run.appendingPathComponent("raw.csv"), encoding: .utf8).split(separator: "\n").map(CSVFormat.fields(of:))
        let header = raw[0]
        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name)) }
        let (workload, model, params, runID) = (try column("workload"), try column("model"), try column("params"), try column("run_id"))
        let rows = raw.dropFirst().map { row -> [String] in
            var row = row
            row[workload] += " " + Self.hostile
            if row[model] != "serial" { row[model] = Self.hostile }
            row[params] = "note=" + Self.hostileParameter
            row[runID] = Self.hostile
            return row
        }
        try (([header] + rows).map(CSVFormat.line).joined(separator: "\n") + "\n").write(to: run.appendingPathComponent("raw.csv"), atomically: true, encoding: .utf8)
        // summary.csv would no longer name these cells: without it raw.csv's order is kept.
        try FileManager.default.removeItem(at: run.appendingPathComponent("summary.csv"))
        var meta = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("meta.json"))) as? [String: Any])
        meta["command_line"] = ["bench", Self.hostile]
        var host = meta["host"] as? [String: Any] ?? [:]
        host["host_name"] = Self.hostile
        meta["host"] = host
        try JSONSerialization.data(withJSONObject: meta).write(to: run.appendingPathComponent("meta.json"))
        try ([CSVFormat.line(ClaimsCSV.header), CSVFormat.line([
            Self.hostile, "c1", Self.hostile, Self.hostile, Self.hostile, "swift", "1.5", "1.2", "1.8", "0.95", Self.hostile, "1", "above",
            "0.01", "0.02", "holds",
        ])].joined(separator: "\n") + "\n").write(to: run.appendingPathComponent(ClaimsCSV.fileName), atomically: true, encoding: .utf8)
        let plots = run.appendingPathComponent("plots")
        try FileManager.default.createDirectory(at: plots, withIntermediateDirectories: true)
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="teal"/>
            <script>console.error('svg script ran')</script><image href="http://127.0.0.1:9/leak.png" width="1" height="1"/></svg>
            """
        try svg.write(to: plots.appendingPathComponent("speedup-\(Self.hostile.replacingOccurrences(of: "/", with: "")).svg"), atomically: true, encoding: .utf8)

        let report = try BenchBinary.run(["report", run.path])
        try #require(report.status == 0, "\(report.standardError)")
        let page = run.appendingPathComponent("report.html")
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        try Self.check(page, in: browser, charts: 1, name: "hostile")
        #expect(try browser.evaluate("document.scripts.length") as? Int == 1, "only the page's own script")
        #expect(try browser.evaluate("document.querySelectorAll('img[src=x]').length") as? Int == 0)
        #expect(try browser.evaluate("document.title") as? String == "bench run \(Self.hostile)")
        // Every table ended where the page ended it: the two groups', the claims', meta.json's.
        #expect(try browser.evaluate("document.querySelectorAll('table').length") as? Int == 4)
        let headings = try #require(browser.evaluate("[...document.querySelectorAll('h2')].map(h => h.textContent)") as? [String])
        // Without summary.csv the groups come in raw.csv's (shuffled) order.
        #expect(headings.count == 4, "\(headings)")
        #expect(headings.filter { $0.hasPrefix("xor " + Self.hostile) || $0.hasPrefix("sleep " + Self.hostile) }.count == 2, "\(headings)")
        let text = try #require(browser.evaluate("document.body.textContent") as? String)
        #expect(text.contains("bench " + Self.hostile), "meta.json's command line")
        #expect(try browser.evaluate("[...document.querySelectorAll('tr[data-model]')].filter(r => r.dataset.model === \(Self.javaScriptString(Self.hostile))).length") as? Int == 4)

        // The comparison's cell labels carry params as raw.csv has them, and its file name the run id.
        let compared = try BenchBinary.run(["compare", run.path, run.path])
        #expect(compared.status == 0, "\(compared.standardError)")
        let comparison = run.appendingPathComponent(ComparisonPage.fileName(old: try RecordedRun(folder: run.path)))
        #expect(comparison.lastPathComponent.hasPrefix("compare-___img_src_x_onerror_"), "\(comparison.lastPathComponent)")
        try Self.check(comparison, in: browser, charts: 0, name: "hostile-compare")
        #expect(try browser.evaluate("document.scripts.length") as? Int == 1, "only the page's own script")
        #expect(try browser.evaluate("document.querySelectorAll('table').length") as? Int == 1)
        #expect(try browser.evaluate("document.body.textContent.includes(\(Self.javaScriptString("note=" + Self.hostileParameter)))") as? Bool == true)
    }

    /// A JavaScript string literal of `text`.
    static func javaScriptString(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast().description
    }

    @Test func benchReportSaysWhatIsWrongInOneLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let missing = try BenchBinary.run(["report", folder.url.appendingPathComponent("nothing").path])
        #expect(missing.status == 64)
        #expect(missing.standardError == "error: \(folder.url.path)/nothing is not a run folder — give one, e.g. bench report results/latest\n")
        let empty = try BenchBinary.run(["report", folder.url.path])
        #expect(empty.status == 64)
        #expect(empty.standardError == "error: no raw.csv in \(folder.url.path) — give a run folder, e.g. results/latest\n")
        let none = try BenchBinary.run(["report"])
        #expect(none.status == 64)

        // A damaged line: bench report and bench plot (which plans the charts plot.sh draws) say the same of it.
        let run = folder.url.appendingPathComponent("damaged")
        try FileManager.default.copyItem(at: PlotScript.packageRoot.appendingPathComponent("results/reference"), to: run)
        try FileManager.default.removeItem(at: run.appendingPathComponent("plots"))
        // The committed run carries its own report.html; this test looks for one bench report must not write.
        try? FileManager.default.removeItem(at: run.appendingPathComponent("report.html"))
        let summary = run.appendingPathComponent("summary.csv")
        var lines = try String(contentsOf: summary, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines[2] = lines[2].split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",")[...]
        try lines.joined(separator: "\n").write(to: summary, atomically: true, encoding: .utf8)
        let damaged = try BenchBinary.run(["report", run.path])
        #expect(damaged.status == 1)
        let plotted = try BenchBinary.run(["plot", run.path])
        #expect(plotted.status == 1)
        #expect(damaged.standardError.hasPrefix("error: \(run.path)/summary.csv:3: "), "\(damaged.standardError)")
        #expect(damaged.standardError == plotted.standardError, "\(damaged.standardError) vs \(plotted.standardError)")
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("report.html").path))
    }

    @Test func compareWritesItsPageBesideTheNewRun() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (old, first) = try Self.measure(in: folder.url, label: "old", extra: ["--no-plot", "--no-report"])
        try #require(first.status == 0, "\(first.standardError)")
        let (new, second) = try Self.measure(in: folder.url, label: "new", extra: ["--no-plot", "--no-report"])
        try #require(second.status == 0, "\(second.standardError)")
        let compared = try BenchBinary.run(["compare", old.path, new.path])
        #expect(compared.status == 0, "\(compared.standardError)")
        let page = new.appendingPathComponent("compare-\(old.lastPathComponent).html")
        #expect(compared.standardError.contains("page: \(page.path)"), "\(compared.standardError)")
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        try Self.check(page, in: browser, charts: 0, name: "compare")
        #expect(try browser.evaluate("document.querySelectorAll('tbody tr[data-model]').length") as? Int == 6)
        #expect(try browser.evaluate("[...document.querySelectorAll('th')].map(h => h.textContent).join('|')") as? String
            == RunComparison.header.joined(separator: "|"))
        #expect(try browser.evaluate("document.body.textContent.includes('6 cells compared: 0 regressed, 0 improved')") as? Bool == true)

        try FileManager.default.removeItem(at: page)
        let skipped = try BenchBinary.run(["compare", old.path, new.path, "--no-report"])
        #expect(skipped.status == 0)
        #expect(!FileManager.default.fileExists(atPath: page.path), "--no-report wrote the page")
    }

    @Test func helpSaysWhereTheReportIs() throws {
        let main = try BenchBinary.run(["--help"])
        #expect(main.standardOutput.contains("report.html"))
        #expect(main.standardOutput.contains("report    "), "the report command is listed")
        let run = try BenchBinary.run(["run", "--help"])
        #expect(run.standardOutput.contains("--no-report"))
        #expect(run.standardOutput.contains("--export-html FILE"))
        let report = try BenchBinary.run(["report", "--help"])
        #expect(report.status == 0)
        #expect(report.standardOutput.hasPrefix("usage: bench report RUN"))
    }
}
