import Engine
import Foundation
import Platform

/// The Python models, run by the Python driver, with the same shapes as
/// their Swift counterparts. Their list is python/bench/models/registry.tsv,
/// which the driver reads too (for the module that declares each model), so
/// adding one is its file under python/bench/models/ plus one line there.
public enum PythonModels {
    public static let registryFile = "python/bench/models/registry.tsv"

    /// Each model of the registry, in its order; none when the registry is
    /// not beside this build (`problem` then says why).
    public static func all(runtime: PythonRuntime) -> [any ConcurrencyModel] {
        let entries = entries
        return entries.map { PythonDriverModel(name: $0.name, summary: $0.summary, layout: $0.layout, baseline: entries[0].name, runtime: runtime) }
    }

    /// The baseline of every Python speedup: the registry's first model (python-serial).
    public static var baseline: String? {
        entries.first?.name
    }

    /// Why there are no Python models, when the registry cannot be read: the error for `--model python-...`.
    public static var problem: BenchError? {
        if case let .failure(error) = registry { return error }
        return nil
    }

    /// One line of the registry.
    struct Entry {
        let name: String
        let layout: PythonDriverModel.Layout
        let summary: String
    }

    private static var entries: [Entry] {
        (try? registry.get()) ?? []
    }

    /// Read once per process: `bench` reads it on every start, a file of 1 kB.
    private static let registry: Result<[Entry], BenchError> = {
        guard let file = PackageFile.locate(registryFile), let data = FileManager.default.contents(atPath: file.path) else {
            return .failure(BenchError.usage(
                "\(registryFile) is not beside this build, so bench has no Python models", fix: "run bench from its package"))
        }
        return Result { () throws(BenchError) in try parse(String(decoding: data, as: UTF8.self), path: file.path) }
    }()

    /// The lines of `text` that are not comments: name, module, layout and summary, tab-separated.
    /// The same rules as registry.py's: unique names, and a first model (the baseline) that is serial.
    static func parse(_ text: String, path: String) throws(BenchError) -> [Entry] {
        var entries: [Entry] = []
        // Lines end in "\n" or "\r\n" (Swift takes "\r\n" for one Character, so a split on "\n" would not see it).
        for (offset, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
        where !line.isEmpty && !line.hasPrefix("#") {
            let place = "\(path):\(offset + 1)"
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, !fields[0].isEmpty, !fields[1].isEmpty, let layout = PythonDriverModel.Layout(rawValue: fields[2]) else {
                throw BenchError.runFailed(
                    "\(place): expected name, module, layout and summary, tab-separated",
                    fix: "layouts: \(PythonDriverModel.Layout.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard !entries.contains(where: { $0.name == fields[0] }) else {
                throw BenchError.runFailed("\(place): a second model named \(fields[0])", fix: "give each model its own name")
            }
            guard !entries.isEmpty || layout == .serial else {
                throw BenchError.runFailed("\(place): the first model is every Python speedup's baseline, so its layout must be serial", fix: "list python-serial first")
            }
            entries.append(Entry(name: fields[0], layout: layout, summary: fields[3]))
        }
        guard !entries.isEmpty else {
            throw BenchError.runFailed("\(path) lists no model", fix: "restore it from the package (git checkout \(registryFile))")
        }
        return entries
    }
}
