import Foundation

/// How this binary was built, and from which commit of the harness.
public enum BuildInfo {
    public static let version = "0.1.0"

    public static var configuration: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    /// The compiler that built this binary (compile-time, to the minor version).
    public static var swiftVersion: String {
        #if compiler(>=6.4)
        "6.4 or later"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }

    /// The harness's git commit, found by walking up from the executable to a
    /// `.git` folder and reading its HEAD (no git binary needed). Nil when the
    /// binary lives outside a checkout.
    public static func gitCommit() -> String? {
        // The harness's checkout, not whatever repository the user stands in.
        guard let git = PackageFile.locate(".git/HEAD")?.deletingLastPathComponent()
            ?? worktreeGitFolder() else { return nil }
        guard let head = try? String(contentsOf: git.appendingPathComponent("HEAD"), encoding: .utf8) else { return nil }
        return resolve(head: head.trimmingCharacters(in: .whitespacesAndNewlines), in: git)
    }

    /// In a `git worktree`, `.git` is a file saying `gitdir: <folder>`; its
    /// refs live in the main repository, named by that folder's `commondir`.
    private static func worktreeGitFolder() -> URL? {
        guard let file = PackageFile.locate(".git"),
              let text = try? String(contentsOf: file, encoding: .utf8), text.hasPrefix("gitdir: ") else { return nil }
        let path = text.dropFirst("gitdir: ".count).trimmingCharacters(in: .whitespacesAndNewlines)
        return URL(fileURLWithPath: path, relativeTo: file.deletingLastPathComponent()).standardizedFileURL
    }

    private static func resolve(head: String, in git: URL) -> String? {
        guard head.hasPrefix("ref: ") else { return head }
        let reference = String(head.dropFirst(5))
        // A worktree's branch refs live in the common repository folder.
        let common = (try? String(contentsOf: git.appendingPathComponent("commondir"), encoding: .utf8))
            .map { URL(fileURLWithPath: $0.trimmingCharacters(in: .whitespacesAndNewlines), relativeTo: git).standardizedFileURL } ?? git
        if let loose = try? String(contentsOf: common.appendingPathComponent(reference), encoding: .utf8) {
            return loose.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let packed = (try? String(contentsOf: common.appendingPathComponent("packed-refs"), encoding: .utf8)) ?? ""
        for line in packed.split(separator: "\n") where line.hasSuffix(" " + reference) {
            return String(line.prefix { $0 != " " })
        }
        return nil
    }
}
