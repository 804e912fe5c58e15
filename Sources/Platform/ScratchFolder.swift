import Glibc

/// Where bench keeps scratch that outlives a moment (the crawl's images,
/// Redis's log): one folder per user, `$TMPDIR/bench-<uid>/` (mode 0700),
/// holding one entry per use, `<kind>-<pid>-XXXXXX`, made by `mkdtemp`.
///
/// An entry is removed by the bench that made it; one left by a bench that
/// was SIGKILLed (200 MB of images, say) is recognised at the next start by
/// its pid, which no longer runs, and removed then (`reclaimStale`).
public enum ScratchFolder {
    /// `$TMPDIR` or /tmp.
    public static var temporaryRoot: String {
        let value = getenv("TMPDIR").map { String(cString: $0) } ?? ""
        return value.isEmpty ? "/tmp" : (value.count > 1 && value.hasSuffix("/") ? String(value.dropLast()) : value)
    }

    /// This user's folder, `$TMPDIR/bench-<uid>`.
    public static var root: String {
        "\(temporaryRoot)/bench-\(getuid())"
    }

    /// A new entry `<kind>-<pid>-XXXXXX` under `root` (made if needed), private to this user.
    public static func make(_ kind: String) throws(SystemCallError) -> String {
        let base = try ownRoot()
        return try TemporaryFile.makeFolder(in: base, prefix: "\(kind)-\(getpid())-")
    }

    /// Removes every entry of `root` whose pid no longer runs: what a killed
    /// bench left. Quiet: a folder that cannot be removed stays for the next start.
    public static func reclaimStale() {
        guard isPrivate(root), let names = try? DirectoryListing.names(in: root) else { return }
        let stale = names.filter { name in
            guard let pid = owner(of: name), pid != getpid() else { return false }
            return kill(pid, 0) != 0 && errno == ESRCH
        }
        for name in stale { removeTree(root + "/" + name) }
    }

    /// The pid in an entry's name `<kind>-<pid>-XXXXXX`, or nil for a name bench did not make.
    static func owner(of name: String) -> pid_t? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[2].count == 6, let pid = pid_t(parts[1]), pid > 0 else { return nil }
        return pid
    }

    /// `root`, made if missing; an existing one must be a folder of this user's that nobody else may enter.
    private static func ownRoot() throws(SystemCallError) -> String {
        let path = root
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw SystemCallError("cannot create \(path)", errno: errno, fix: "check TMPDIR and its permissions")
        }
        guard isPrivate(path) else {
            throw SystemCallError(
                "\(path) is not a private folder of this user's (a link, another owner, or open to others)", errno: EPERM,
                fix: "remove it (bench makes it again), or set TMPDIR to another folder")
        }
        return path
    }

    /// A real folder (no link), owned by this user, closed to group and others.
    private static func isPrivate(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR && status.st_uid == getuid()
            && status.st_mode & 0o077 == 0
    }

    /// Removes `path` and everything under it, never following a link.
    public static func removeTree(_ path: String) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            unlink(path)
            return
        }
        for name in (try? DirectoryListing.names(in: path)) ?? [] { removeTree(path + "/" + name) }
        rmdir(path)
    }
}
