import Foundation

/// The process exit codes (DESIGN.md, "Errors and exit codes").
enum ExitCode: Int32 {
    case success = 0
    /// A run failed: worker died, checksum mismatch, timeout.
    case runFailed = 1
    /// `compare` found a regression.
    case regression = 2
    /// Bad usage: unknown name, bad number (sysexits EX_USAGE).
    case usage = 64
}

/// Every error that reaches the user, each with what went wrong and how to fix it.
enum BenchError: Error, CustomStringConvertible {
    case usage(String, fix: String)
    case runFailed(String, fix: String)
    case io(String)

    var description: String {
        switch self {
        case let .usage(what, fix), let .runFailed(what, fix):
            "\(what) — \(fix)"
        case let .io(what):
            "\(what) — check the path and its permissions"
        }
    }

    var exitCode: ExitCode {
        switch self {
        case .usage: .usage
        case .runFailed, .io: .runFailed
        }
    }

    var isUsage: Bool {
        if case .usage = self { return true }
        return false
    }

    var isIO: Bool {
        if case .io = self { return true }
        return false
    }
}

/// Writes `error: <message>` on stderr: the one format every error takes.
func printError(_ message: String) {
    fflush(nil)
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
}

/// Writes a note (not an error) on stderr, keeping stdout for results.
func printNote(_ message: String) {
    // Results printed so far come first when both streams reach one screen.
    fflush(nil)
    FileHandle.standardError.write(Data("\(message)\n".utf8))
}
