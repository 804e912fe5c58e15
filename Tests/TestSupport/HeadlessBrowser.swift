import Foundation
import Harness
import Platform

/// A real Chromium, headless, driven over the DevTools protocol on a pipe
/// (`--remote-debugging-pipe`: commands on the child's fd 3, replies and
/// events on its fd 4, each a JSON object ended by a NUL byte), so a test can
/// open a page bench wrote and see what a reader would: what rendered, what
/// the console said, and every request the page made.
///
/// No port is opened and nothing is fetched: the browser starts on
/// about:blank with networking features off, and a test that loads a file
/// sees every request the page tries, so it can fail on any that leaves the file.
public final class HeadlessBrowser {
    /// What loading a page showed: console errors and uncaught exceptions,
    /// and the URL of every request the page made (the page's own included).
    public struct PageLoad {
        public var consoleErrors: [String] = []
        public var requests: [String] = []
    }

    /// `chromium` (Debian) or `chromium-browser` on PATH; nil when neither is installed.
    public static var executable: URL? {
        PackageFile.onPath("chromium") ?? PackageFile.onPath("chromium-browser")
    }

    private let child: ChildProcess
    private let commands: Int32
    private let replies: Int32
    private let profile: TemporaryFolder
    private var buffer: [UInt8] = []
    private var nextID = 0
    /// Events read while waiting for a reply, kept for `load` to look through.
    private var events: [[String: Any]] = []
    private var session = ""

    public init() throws {
        guard let executable = Self.executable else {
            throw TestError("chromium is not installed (apt-get install chromium; ./scripts/test installs it)")
        }
        profile = try TemporaryFolder()
        let toBrowser = try FileDescriptor.makePipe()
        let fromBrowser = try FileDescriptor.makePipe()
        defer {
            FileDescriptor.close(toBrowser.read)
            FileDescriptor.close(fromBrowser.write)
        }
        child = try ChildProcess(
            executable: executable.path,
            arguments: [
                "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "--no-first-run",
                "--user-data-dir=\(profile.url.path)", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--mute-audio",
                "--allow-file-access-from-files", "about:blank",
            ],
            extraDescriptors: [(3, toBrowser.read), (4, fromBrowser.write)], ownGroup: true)
        commands = toBrowser.write
        replies = fromBrowser.read
        let target = try send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw TestError("Chromium made no page: \(target)") }
        let attached = try send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw TestError("Chromium did not attach: \(attached)") }
        self.session = session
        for domain in ["Page", "Runtime", "Log", "Network"] {
            _ = try send("\(domain).enable", [:], inSession: true)
        }
    }

    deinit {
        close()
        profile.remove()
    }

    /// Ends the browser (and every process it started: it leads its own group).
    public func close() {
        guard !child.hasEnded() else { return }
        _ = try? send("Browser.close", [:], timeoutSeconds: 5)
        if child.wait(until: MonotonicClock.deadline(afterSeconds: 5)) == nil {
            kill(-child.pid, SIGKILL)
            _ = child.wait()
        }
        FileDescriptor.close(commands)
        FileDescriptor.close(replies)
    }

    /// Opens `file` and waits for its load event (and a moment for scripts that
    /// run on it); what the console said and what was requested meanwhile.
    public func load(_ file: URL, timeoutSeconds: Double = 30) throws -> PageLoad {
        events.removeAll()
        _ = try send("Page.navigate", ["url": file.absoluteString], inSession: true, timeoutSeconds: timeoutSeconds)
        let deadline = MonotonicClock.deadline(afterSeconds: timeoutSeconds)
        while !events.contains(where: { $0["method"] as? String == "Page.loadEventFired" }) {
            guard MonotonicClock.now() < deadline else { throw TestError("\(file.path) did not finish loading in \(timeoutSeconds) s") }
            if let message = try readMessage(until: deadline) { events.append(message) }
        }
        // Scripts that run on load (sorting, toggles) log their errors right after it.
        _ = try evaluate("new Promise(done => setTimeout(done, 200))", awaitPromise: true)
        var page = PageLoad()
        for event in events {
            let parameters = event["params"] as? [String: Any] ?? [:]
            switch event["method"] as? String {
            case "Runtime.consoleAPICalled" where ["error", "warning", "assert"].contains(parameters["type"] as? String ?? ""):
                let words = (parameters["args"] as? [[String: Any]] ?? []).map { "\($0["value"] ?? $0["description"] ?? "")" }
                page.consoleErrors.append(words.joined(separator: " "))
            case "Runtime.exceptionThrown":
                let details = parameters["exceptionDetails"] as? [String: Any] ?? [:]
                let exception = details["exception"] as? [String: Any] ?? [:]
                page.consoleErrors.append("\(exception["description"] ?? details["text"] ?? "an exception")")
            case "Log.entryAdded":
                let entry = parameters["entry"] as? [String: Any] ?? [:]
                if entry["level"] as? String == "error" { page.consoleErrors.append("\(entry["text"] ?? "")") }
            case "Network.requestWillBeSent":
                let request = parameters["request"] as? [String: Any] ?? [:]
                if let url = request["url"] as? String { page.requests.append(url) }
            default:
                break
            }
        }
        return page
    }

    /// The value of a JavaScript expression in the page (JSON-compatible values only).
    public func evaluate(_ expression: String, awaitPromise: Bool = false) throws -> Any? {
        let result = try send(
            "Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": awaitPromise], inSession: true)
        if let details = result["exceptionDetails"] as? [String: Any] {
            throw TestError("the page's script failed: \(details["text"] ?? details)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// A PNG of what the page shows, for a failing test to leave behind.
    public func screenshot(to file: URL) throws {
        let result = try send("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true], inSession: true)
        guard let text = result["data"] as? String, let png = Data(base64Encoded: text) else { throw TestError("no screenshot") }
        try png.write(to: file)
    }

    /// Sends one command and waits for its reply's `result`; events read meanwhile are kept.
    private func send(
        _ method: String, _ parameters: [String: Any], inSession: Bool = false, timeoutSeconds: Double = 30
    ) throws -> [String: Any] {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": parameters]
        if inSession { message["sessionId"] = session }
        var bytes = Array(try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        if FileDescriptor.writeAll(commands, bytes) != nil { throw TestError("Chromium stopped reading its commands (\(method))") }
        let deadline = MonotonicClock.deadline(afterSeconds: timeoutSeconds)
        while true {
            guard let reply = try readMessage(until: deadline) else { continue }
            guard reply["id"] as? Int == nextID else {
                if reply["method"] != nil { events.append(reply) }
                continue
            }
            if let error = reply["error"] as? [String: Any] { throw TestError("\(method) failed: \(error["message"] ?? error)") }
            return reply["result"] as? [String: Any] ?? [:]
        }
    }

    /// The next NUL-ended message, or nil when the wait found only part of one.
    private func readMessage(until deadline: UInt64) throws -> [String: Any]? {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let body = Array(buffer[..<end])
                buffer.removeFirst(end + 1)
                return try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
            }
            guard MonotonicClock.now() < deadline else { throw TestError("Chromium did not answer in time") }
            guard FileDescriptor.wait(replies, for: Int16(POLLIN), until: deadline) == .ready else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = Glibc.read(replies, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw TestError("Chromium closed its DevTools pipe: \(child.standardError().suffix(500))") }
            buffer += chunk[..<count]
        }
    }
}
