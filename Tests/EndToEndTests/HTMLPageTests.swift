import Foundation
import Testing
@testable import Harness
import TestSupport

/// The report page in a real browser: hostile text from a run stays text,
/// charts render, nothing is requested, and the two scripts (sorting, model
/// toggles) work.
@Suite("HTML page in a browser", .serialized)
struct HTMLPageTests {
    static let hostile = "\"><img src=x onerror=\"console.error('injected')\"><script>console.error('injected')</script>'"

    static func page() -> HTMLPage {
        var page = HTMLPage(title: "run \(hostile)")
        page.append(.heading("xor \(hostile)", level: 2, id: "xor\(hostile)"))
        page.append(.table(HTMLPage.Table(
            header: ["model", "workers", "median wall", hostile],
            rows: [["thread", "2", "30.41 ms", hostile], ["serial", "1", "1.20 s", "-"], [hostile, "64", "900.00 µs", "x"]],
            rowModels: ["thread", "serial", hostile])))
        page.append(.preformatted(["at 2 workers: thread beat async \(hostile)"]))
        // A chart whose SVG carries a script: shown as an image, it must not run.
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="teal"/>
            <script>console.error('svg script ran')</script><image href="http://127.0.0.1:9/leak.png" width="1" height="1"/></svg>
            """
        page.append(.chart(caption: "speedup \(hostile)", file: "plots/speedup-xor.svg", bytes: Array(svg.utf8)))
        page.append(.links([(text: "raw.csv", href: "raw.csv"), (text: hostile, href: hostile)]))
        page.append(.warning("disturbed \(hostile)"))
        return page
    }

    @Test func hostileTextStaysTextAndNothingLeavesTheFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.url.appendingPathComponent("report.html")
        try Self.page().render().write(to: file, atomically: true, encoding: .utf8)
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        let load = try browser.load(file)
        #expect(load.consoleErrors.isEmpty, "\(load.consoleErrors)")
        // data: URIs are the inlined charts, read from the page itself.
        #expect(load.requests.filter { !$0.hasPrefix("data:") } == [file.absoluteString], "\(load.requests)")
        #expect(try browser.evaluate("document.scripts.length") as? Int == 1)
        #expect(try browser.evaluate("document.querySelectorAll('img[src=x]').length") as? Int == 0)
        #expect(try browser.evaluate("document.title") as? String == "run \(Self.hostile)")
        let chart = try #require(browser.evaluate(
            "(() => { const i = document.querySelector('figure img'); return [i.complete, i.naturalWidth, i.getBoundingClientRect().width]; })()")
            as? [Any])
        #expect(chart[0] as? Bool == true)
        #expect((chart[1] as? Int ?? 0) > 0, "the chart decoded: \(chart)")
        #expect((chart[2] as? Double ?? 0) > 0, "the chart has a size: \(chart)")
        if !load.consoleErrors.isEmpty { try? browser.screenshot(to: URL(fileURLWithPath: "/tmp/html-page-failure.png")) }
    }

    @Test func headersSortNumbersByValueAndTogglesHideAModel() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.url.appendingPathComponent("report.html")
        try Self.page().render().write(to: file, atomically: true, encoding: .utf8)
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        _ = try browser.load(file)
        let column = "[...document.querySelectorAll('tbody tr')].map(r => r.cells[2].textContent)"
        _ = try browser.evaluate("document.querySelectorAll('th')[2].click()")
        #expect(try browser.evaluate(column) as? [String] == ["900.00 µs", "30.41 ms", "1.20 s"])
        _ = try browser.evaluate("document.querySelectorAll('th')[2].click()")
        #expect(try browser.evaluate(column) as? [String] == ["1.20 s", "30.41 ms", "900.00 µs"])
        _ = try browser.evaluate("(() => { const b = document.querySelector('input[data-toggle=thread]'); b.click(); })()")
        #expect(try browser.evaluate("[...document.querySelectorAll('tbody tr')].filter(r => !r.hidden).length") as? Int == 2)
    }
}
