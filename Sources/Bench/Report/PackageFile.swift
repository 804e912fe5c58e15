import Foundation

/// Files that ship with the package (plot.sh, the Python reference) and
/// programs on PATH, found the way a user's shell and checkout would.
enum PackageFile {
    /// `relativePath` under `currentDirectory` (unless nil), else under the
    /// nearest folder above `executable` that holds it (the package root of a
    /// `swift build`).
    static func locate(
        _ relativePath: String, currentDirectory: String? = FileManager.default.currentDirectoryPath,
        executable: String? = ownExecutable()
    ) -> URL? {
        func file(in folder: URL) -> URL? {
            let candidate = folder.appendingPathComponent(relativePath)
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder) && !isFolder.boolValue ? candidate : nil
        }
        if let currentDirectory, let found = file(in: URL(fileURLWithPath: currentDirectory)) {
            return found
        }
        guard let executable else { return nil }
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while folder.path != "/" && !folder.path.isEmpty {
            if let found = file(in: folder) {
                return found
            }
            folder.deleteLastPathComponent()
        }
        return nil
    }

    /// The first executable `name` on PATH.
    static func onPath(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> URL? {
        for directory in (path ?? "").split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }

    /// This binary's absolute path; `CommandLine.arguments[0]` is only what was typed.
    static func ownExecutable() -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }
}
