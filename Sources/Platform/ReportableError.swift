/// The process exit codes (DESIGN.md, "Errors and exit codes").
public enum ExitCode: Int32, Sendable {
    case success = 0
    /// A run failed: worker died, checksum mismatch, timeout, disk full.
    case runFailed = 1
    /// `compare` found a regression.
    case regression = 2
    /// Bad usage: unknown name, bad number (sysexits EX_USAGE).
    case usage = 64
    // A second Ctrl-C or SIGTERM ends bench at once with 128 + the signal
    // (130, 143), as a shell reports it: `Interruption` exits with that.
}

/// Every error bench reports, in every layer: what went wrong, how to fix it,
/// and the exit code it ends the process with. `main.swift`'s one funnel
/// prints `error: <what> — <fix>`; code that must tell errors apart looks at
/// `exitCode` or the type, never at the text.
public protocol ReportableError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, in one line.
    var what: String { get }
    /// What the user can do about it, in one line.
    var fix: String { get }
    /// How the process ends when this error reaches `main`.
    var exitCode: ExitCode { get }
}

extension ReportableError {
    public var description: String {
        "\(what) — \(fix)"
    }

    /// A usage error (exit 64): the invocation itself is wrong.
    public var isUsage: Bool { exitCode == .usage }
}

/// The one-line form of any error: a `ReportableError` as `what — fix`,
/// anything else (a bug) as its description with a pointer to report it.
public func oneLine(_ error: any Error) -> String {
    let text = (error as? any ReportableError)?.description
        ?? "\(error) — this is a bug in bench; please report it with the command line"
    return text.split(whereSeparator: \.isNewline).joined(separator: " ")
}
