/// The errors of any layer that need no type of their own: bad usage, a run
/// that failed, a file that could not be written. Each says what went wrong
/// and how to fix it (see `ReportableError`).
public enum BenchError: ReportableError {
    /// The invocation is wrong (exit 64).
    case usage(String, fix: String)
    /// Something failed while measuring or reporting (exit 1).
    case runFailed(String, fix: String)
    /// A file or folder could not be read or written (exit 1); the fix
    /// depends on the errno when one is known.
    case io(String, errno: Int32? = nil)

    public var what: String {
        switch self {
        case let .usage(what, _), let .runFailed(what, _): what
        case let .io(what, code): code.map { "\(what): \(SystemCallError.describe($0))" } ?? what
        }
    }

    public var fix: String {
        switch self {
        case let .usage(_, fix), let .runFailed(_, fix): fix
        case let .io(_, code): Self.fix(forErrno: code)
        }
    }

    public var exitCode: ExitCode {
        switch self {
        case .usage: .usage
        case .runFailed, .io: .runFailed
        }
    }

    public var isIO: Bool {
        if case .io = self { return true }
        return false
    }

    /// What to do about a failed file operation, by its errno.
    static func fix(forErrno code: Int32?) -> String {
        switch code {
        case 28: "the disk is full: free some space or choose another --out" // ENOSPC
        case 122: "the disk quota is exhausted: free some space or choose another --out" // EDQUOT
        case 30: "the file system is read-only: choose another --out" // EROFS
        case 13, 1: "you may not write there: check its permissions or choose another --out" // EACCES, EPERM
        case 21: "a folder is in the way: rename or remove it" // EISDIR
        case 36: "the name is too long: choose a shorter --out or --label" // ENAMETOOLONG
        case 2, 20: "a folder on the path is missing or not a folder: check the path" // ENOENT, ENOTDIR
        default: "check the path and its permissions"
        }
    }
}
