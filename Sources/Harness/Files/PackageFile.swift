import Foundation
import Platform

/// Files that ship with the package (plot.sh, plot/, the Python code) and
/// programs on PATH.
public enum PackageFile {
    /// `relativePath` in the nearest folder above `executable` that holds it:
    /// the package root of a `swift build`. Never looked up from the current
    /// folder alone: bench runs only the files of its own checkout, not
    /// whatever plot.sh happens to lie where the user stands.
    public static func locate(_ relativePath: String, executable: String? = HelperExecutable.ownPath) -> URL? {
        guard let executable else { return nil }
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while folder.path != "/" && !folder.path.isEmpty {
            let candidate = folder.appendingPathComponent(relativePath)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder) && !isFolder.boolValue {
                return candidate
            }
            folder.deleteLastPathComponent()
        }
        return nil
    }

    /// The first executable `name` on PATH (`path` when given).
    public static func onPath(_ name: String, path: String? = nil) -> URL? {
        ProgramSearch.find(name, path: path).map { URL(fileURLWithPath: $0) }
    }
}
