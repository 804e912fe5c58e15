import Foundation
import Platform

/// `bench docs --rerun`: measures committed runs again, one after another,
/// each with the command its meta.json records, into a temporary results
/// root; a run that completed on a quiet machine replaces the committed
/// folder's files, any other is refused with one line and left where it was
/// measured, for a look.
public struct DocsRerun {
    public let root: URL
    /// The bench that measures (a release build: figures meant for publication).
    public let binary: String
    public let allowDisturbed: Bool

    public init(root: URL, binary: String, allowDisturbed: Bool) {
        self.root = root
        self.binary = binary
        self.allowDisturbed = allowDisturbed
    }

    /// Reruns the committed runs named in `names` (all when empty); exit 1
    /// when any was refused or failed, after trying every one.
    public func run(names: [String]) throws -> ExitCode {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError.usage("no bench at \(binary) to measure with", fix: "build it with swift build -c release, or name one with --binary PATH")
        }
        let committed = try CommittedRun.all(in: root)
        let known = committed.map(\.name)
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw BenchError.usage("no committed run named '\(unknown)'", fix: "name one of: \(known.joined(separator: ", "))")
        }
        let chosen = names.isEmpty ? committed : committed.filter { names.contains($0.name) }
        var refused: [String] = []
        for (index, run) in chosen.enumerated() {
            // A fresh private folder (mkdtemp), not ScratchFolder's: a refused run stays there for a look
            // after this bench has ended, where the next bench's clean-up would remove it.
            let output = URL(fileURLWithPath: try TemporaryFile.makeFolder(in: ScratchFolder.temporaryRoot, prefix: "bench-docs-\(run.name)-"))
            let arguments = run.rerunArguments(into: output.path)
            printNote("bench docs: [\(index + 1)/\(chosen.count)] \(run.path): bench \(arguments.joined(separator: " "))")
            if let refusal = measure(run, arguments: arguments, output: output) {
                let fix = refusal.hasPrefix(CommittedRun.busyRefusal) ? "rerun it on a quiet machine, or pass --allow-disturbed" : "see its output above"
                printError("\(run.path) was not replaced: \(refusal) — the rerun is kept in \(output.path); \(fix)")
                refused.append(run.name)
            }
        }
        if !refused.isEmpty {
            printError("\(refused.count) of \(chosen.count) runs not replaced (\(refused.joined(separator: ", "))) — see above")
            return .runFailed
        }
        return .success
    }

    /// Measures `run` again and replaces its files; why not, when it did not.
    private func measure(_ run: CommittedRun, arguments: [String], output: URL) -> String? {
        let started = MonotonicClock.now()
        let status: ExitStatus
        do {
            // Both streams inherited: the run's own progress is the progress to watch.
            let child = try ChildProcess(executable: binary, arguments: arguments, captureStandardError: false, ownGroup: false)
            status = child.wait().status
        } catch {
            return "bench did not start (\(error.what))"
        }
        guard status == .exited(0) else { return "the rerun \(status)" }
        do {
            let fresh = try CommittedRun.freshFolder(in: output)
            if let refusal = CommittedRun.refusal(of: fresh, allowDisturbed: allowDisturbed) { return refusal }
            let (written, kept) = try run.replaceFiles(under: root, with: fresh)
            let seconds = Double(MonotonicClock.now() - started) / 1e9
            printNote("bench docs: \(run.path): \(written.count) files replaced in " + String(format: "%.0f", seconds) + " s")
            if !kept.isEmpty {
                printNote("warning: \(run.path) keeps files the rerun did not write, which may now be stale: \(kept.joined(separator: ", "))")
            }
            try? FileManager.default.removeItem(at: output)
            return nil
        } catch {
            return oneLine(error)
        }
    }
}
