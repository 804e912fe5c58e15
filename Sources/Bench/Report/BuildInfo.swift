import Foundation

/// How this binary was built, and from which commit of the harness.
enum BuildInfo {
    static let version = "0.1.0"

    static var configuration: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    /// The compiler that built this binary (compile-time, to the minor version).
    static var swiftVersion: String {
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
    static func gitCommit() -> String? {
        // The harness's checkout, not whatever repository the user stands in.
        guard let head = PackageFile.locate(".git/HEAD", currentDirectory: nil),
              let text = try? String(contentsOf: head, encoding: .utf8) else { return nil }
        return resolve(head: text.trimmingCharacters(in: .whitespacesAndNewlines), in: head.deletingLastPathComponent())
    }

    private static func resolve(head: String, in git: URL) -> String? {
        guard head.hasPrefix("ref: ") else { return head }
        let reference = String(head.dropFirst(5))
        if let loose = try? String(contentsOf: git.appendingPathComponent(reference), encoding: .utf8) {
            return loose.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let packed = (try? String(contentsOf: git.appendingPathComponent("packed-refs"), encoding: .utf8)) ?? ""
        for line in packed.split(separator: "\n") where line.hasSuffix(" " + reference) {
            return String(line.prefix { $0 != " " })
        }
        return nil
    }
}
