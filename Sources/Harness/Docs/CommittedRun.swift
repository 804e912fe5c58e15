import Foundation
import Platform

/// A run folder committed to the package, the source of published figures:
/// `results/reference` (the default matrix) or `docs/<name>/` (an
/// experiment's), each with the meta.json that records the command that
/// measured it. `bench docs --rerun` measures it again with that command.
public struct CommittedRun: Sendable, Equatable {
    /// The folder relative to the package, e.g. `docs/gil`.
    public let path: String
    /// meta.json's `command_line`, the program first.
    public let commandLine: [String]

    /// The name `bench docs --rerun NAME` selects it by: `reference`, `gil`.
    public var name: String { (path as NSString).lastPathComponent }

    /// Every committed run of the package at `root`: results/reference, then
    /// each docs/<name>/ holding a meta.json, by name. A meta.json without a
    /// command line is an error naming it (such a run cannot be measured again).
    public static func all(in root: URL) throws -> [CommittedRun] {
        var folders = ["results/reference"]
        let docs = root.appendingPathComponent("docs").path
        for entry in ((try? FileManager.default.contentsOfDirectory(atPath: docs)) ?? []).sorted() {
            folders.append("docs/\(entry)")
        }
        return try folders.compactMap { folder in
            let meta = root.appendingPathComponent(folder).appendingPathComponent("meta.json").path
            guard let data = FileManager.default.contents(atPath: meta) else { return nil }
            guard let json = try? JSONDecoder().decode(JSONValue.self, from: data), case let .array(words)? = json["command_line"],
                  case let command = words.compactMap(\.string), command.count == words.count, !command.isEmpty else {
                throw BenchError.runFailed("\(folder)/meta.json has no command_line", fix: "measure the run again by hand with bench, which records it")
            }
            return CommittedRun(path: folder, commandLine: command)
        }
    }

    /// The recorded command's arguments (without the program) for a rerun
    /// into the results root `output`: `--out` points there, and the
    /// `--export-<format>` files are left out (they live outside the run
    /// folder, and the old targets may be anywhere).
    public func rerunArguments(into output: String) -> [String] {
        var arguments: [String] = []
        var words = commandLine.dropFirst().makeIterator()
        while let word = words.next() {
            let flag = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
            let dropped = flag == "--out" || flag.hasPrefix("--export-")
            if dropped {
                // `--out X` takes the next word; `--out=X` holds its value.
                if !word.contains("=") { _ = words.next() }
                continue
            }
            arguments.append(word)
        }
        return arguments + ["--out", output]
    }

    /// Why the run folder `fresh` may not replace a committed run: not
    /// complete, or measured on a busy machine (unless `allowDisturbed`); nil when it may.
    public static func refusal(of fresh: URL, allowDisturbed: Bool) -> String? {
        guard let data = FileManager.default.contents(atPath: fresh.appendingPathComponent("meta.json").path),
              let meta = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            return "the rerun left no readable meta.json"
        }
        let status = meta["status"]?.string ?? "unknown"
        guard status == "complete" else { return "the rerun ended \(status), not complete" }
        if case .bool(true)? = meta["disturbed"], !allowDisturbed {
            let reasons: [String] = if case let .array(values)? = meta["disturbed_because"] { values.compactMap(\.string) } else { [] }
            return Self.busyRefusal + " (disturbed" + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; ")) + ")"
        }
        return nil
    }

    /// How a refusal of a run measured on a busy machine begins.
    public static let busyRefusal = "the machine was busy while measuring"

    /// The one run folder a rerun wrote under the results root `output`.
    public static func freshFolder(in output: URL) throws -> URL {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
        let folders = entries.sorted().filter { entry in
            entry != "latest" && !entry.hasPrefix(".")
                && FileManager.default.fileExists(atPath: output.appendingPathComponent(entry).appendingPathComponent("meta.json").path)
        }
        guard folders.count == 1, let folder = folders.first else {
            throw BenchError.runFailed("the rerun wrote \(folders.count) run folders into \(output.path), expected 1", fix: "look at its output above")
        }
        return output.appendingPathComponent(folder)
    }

    /// Copies every file of the run folder `fresh` over this run's folder
    /// (under `root`), subfolders (plots/) included. Files the rerun did not
    /// write stay (a write-up, a BUILD.md); the data files among them are
    /// returned, so the caller can say they may now be stale.
    public func replaceFiles(under root: URL, with fresh: URL) throws -> (written: [String], kept: [String]) {
        let target = root.appendingPathComponent(path)
        let written = Self.files(in: fresh)
        for file in written {
            let destination = target.appendingPathComponent(file)
            do {
                try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                if FileManager.default.fileExists(atPath: destination.path) { try FileManager.default.removeItem(at: destination) }
                try FileManager.default.copyItem(at: fresh.appendingPathComponent(file), to: destination)
            } catch {
                throw BenchError.runFailed("cannot copy \(file) into \(path): \(error.localizedDescription)", fix: "check the folder's permissions and free space")
            }
        }
        let kept = Self.files(in: target).filter { !written.contains($0) && !$0.hasSuffix(".md") }
        return (written, kept)
    }

    /// The regular files under `folder`, relative to it, sorted.
    static func files(in folder: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var files: [String] = []
        while let entry = enumerator.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(entry).path, isDirectory: &isFolder), !isFolder.boolValue {
                files.append(entry)
            }
        }
        return files.sorted()
    }
}
