import Foundation
import Glibc

/// A one-line progress report with an ETA on stderr, redrawn in place; silent
/// when stderr is not a terminal, so logs and pipes stay clean.
final class ProgressLine {
    private let enabled: Bool
    private var visible = false

    init(enabled: Bool = isatty(2) == 1) {
        self.enabled = enabled
    }

    func show(done: Int, of total: Int, what: String, elapsed: Double, remaining: Double?) {
        guard enabled else { return }
        let percent = total > 0 ? done * 100 / total : 100
        let eta = remaining.map { "ETA \(clock($0))" } ?? "ETA --:--"
        let text = "[\(done)/\(total)] \(percent)% \(clock(elapsed)) \(eta)  \(what)"
        // Clear to end of line so a shorter line leaves no tail behind.
        FileHandle.standardError.write(Data(("\r" + text + "\u{1B}[K").utf8))
        visible = true
    }

    func clear() {
        guard enabled, visible else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        visible = false
    }

    private func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        let minutes = whole / 60
        let rest = whole % 60
        return "\(minutes):" + (rest < 10 ? "0\(rest)" : "\(rest)")
    }
}
