import Foundation

/// The run folders a test's bench wrote under its results root, looked up
/// while bench may still be writing them (nothing here fails a test).
public enum RunFolders {
    /// The first run folder under `root` (a folder, not `latest`, not hidden), if any.
    public static func first(in root: URL) -> URL? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.sorted().lazy.filter { !$0.hasPrefix(".") && $0 != "latest" }.map { root.appendingPathComponent($0) }.first { url in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
        }
    }

    /// The rows of that folder's raw.csv so far (0 before it exists).
    public static func rows(in root: URL) -> Int {
        guard let run = first(in: root), let raw = try? CSVTable(url: run.appendingPathComponent("raw.csv")) else { return 0 }
        return raw.rows.count
    }
}
