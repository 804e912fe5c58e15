import Glibc

/// A system call that failed, with errno kept for callers that react to it.
public struct SystemCallError: ReportableError {
    /// What was being done, e.g. `cannot create a pipe` or `socket`.
    public let call: String
    public let code: Int32
    public let fix: String

    /// `code` must be the errno captured right after the failing call:
    /// building a message can itself change errno.
    public init(_ call: String, errno code: Int32, fix: String = "check the process and file limits (ulimit -u, ulimit -n)") {
        self.call = call
        self.code = code
        self.fix = fix
    }

    /// The C library's wording of `code`, e.g. `No such file or directory`.
    public var reason: String { Self.describe(code) }

    public var what: String { "\(call): \(reason)" }
    public var exitCode: ExitCode { .runFailed }

    /// strerror, read at once (its buffer is reused by the next call).
    public static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
