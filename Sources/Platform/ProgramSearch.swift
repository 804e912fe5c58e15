import Glibc

/// Where a program named on a command line is, found as `execvp` would find
/// it, but before anything is started: a missing program is then one clear
/// error naming it, not a failure in every task.
public enum ProgramSearch {
    /// `name` itself when it holds a slash (relative to the current folder),
    /// else the first executable regular file called `name` in the folders of
    /// `PATH` (empty entries, which would mean the current folder, are
    /// skipped); nil when there is none.
    public static func find(_ name: String, path: String? = nil) -> String? {
        guard !name.isEmpty else { return nil }
        if name.contains("/") { return isExecutableFile(name) ? name : nil }
        let folders = path ?? getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in folders.split(separator: ":") where !folder.isEmpty {
            let candidate = String(folder) + (folder.hasSuffix("/") ? "" : "/") + name
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG && access(path, X_OK) == 0
    }
}
