import Foundation
import Glibc
import Platform

/// A one-line progress report with an ETA on stderr, redrawn in place; silent
/// when stderr is not a terminal, so logs and pipes stay clean.
public final class ProgressLine {
    private let enabled: Bool
    private var visible = false

    public init(enabled: Bool = isatty(2) == 1) {
        self.enabled = enabled
    }

    public func show(done: Int, of total: Int, what: String, elapsed: Double, remaining: Double?) {
        guard enabled else { return }
        let percent = total > 0 ? done * 100 / total : 100
        let eta = remaining.map { "ETA \(clock($0))" } ?? "ETA --:--"
        let text = "[\(done)/\(total)] \(percent)% \(clock(elapsed)) \(eta)  \(what)"
        // Clear to end of line so a shorter line leaves no tail behind.
        FileDescriptor.writeAll(2, "\r" + text + "\u{1B}[K")
        visible = true
    }

    public func clear() {
        guard enabled, visible else { return }
        FileDescriptor.writeAll(2, "\r\u{1B}[K")
        visible = false
    }

    private func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        let minutes = whole / 60
        let rest = whole % 60
        return "\(minutes):" + (rest < 10 ? "0\(rest)" : "\(rest)")
    }
}
