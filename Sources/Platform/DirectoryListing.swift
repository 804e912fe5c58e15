import Glibc

/// The names in a folder, without `.` and `..`, Foundation-free.
public enum DirectoryListing {
    public static func names(in folder: String) throws(SystemCallError) -> [String] {
        guard let directory = opendir(folder) else {
            throw SystemCallError("cannot read the folder \(folder)", errno: errno, fix: "check that it exists and that you may read it")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
