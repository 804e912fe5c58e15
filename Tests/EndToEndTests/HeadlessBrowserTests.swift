import Foundation
import Testing
import TestSupport

/// The browser the report tests rely on sees what they must fail on: a
/// console error, a script exception, a request leaving the file, a chart
/// that did not render. Without these, a report test could pass by seeing nothing.
@Suite("Headless Chromium", .serialized)
struct HeadlessBrowserTests {
    @Test func seesConsoleErrorsRequestsAndRenderedSizes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let page = folder.url.appendingPathComponent("page.html")
        // The request goes to a closed port on loopback: it fails, but it is made, and seen.
        try """
            <!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body>
            <svg id="drawn" width="120" height="80"><rect width="120" height="80"/></svg>
            <svg id="empty" width="0" height="0"></svg>
            <img id="remote" src="http://127.0.0.1:9/x.png" width="10" height="10">
            <script>console.error("something broke"); undefinedFunction();</script>
            </body></html>
            """.write(to: page, atomically: true, encoding: .utf8)
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        let load = try browser.load(page)
        #expect(load.consoleErrors.contains { $0.contains("something broke") }, "\(load.consoleErrors)")
        #expect(load.consoleErrors.contains { $0.contains("undefinedFunction") }, "\(load.consoleErrors)")
        #expect(load.requests.contains("http://127.0.0.1:9/x.png"), "\(load.requests)")
        #expect(load.requests.contains(page.absoluteString), "\(load.requests)")
        let sizes = try #require(browser.evaluate(
            "[...document.querySelectorAll('svg')].map(e => [e.id, e.getBoundingClientRect().width])") as? [[Any]])
        #expect(sizes.count == 2)
        #expect(sizes.first { $0[0] as? String == "drawn" }?[1] as? Double == 120)
        #expect(sizes.first { $0[0] as? String == "empty" }?[1] as? Double == 0)
        let shot = folder.url.appendingPathComponent("shot.png")
        try browser.screenshot(to: shot)
        let png = try Data(contentsOf: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
    }
}
