import Foundation
import Platform

/// One run of one of bench's stdlib-only Python programs (the driver of the
/// python-* models, an experiment's probe), the same way for all of them:
/// the real interpreter with `-S` (site's .pth files cost ~20 ms and the
/// programs need only the standard library), a report descriptor on fd 3
/// on which the program writes one JSON line, standard input a pipe only
/// bench holds (the program sees end of file when bench is gone), and a
/// process group of its own: a timeout kills the program and every process
/// it started together, and a Ctrl-C to bench's group does not reach it.
struct PythonScriptRun {
    let pid: pid_t
    let status: ExitStatus
    /// The line the program wrote on fd 3, trimmed; empty when it wrote none.
    let reportLine: String
    /// The last line it wrote on standard error, or "no message".
    let lastErrorLine: String

    /// How long past its timeout a program may take to report that it stopped.
    static let graceSeconds = 0.5

    /// Runs `script` with `arguments` (after `--report-fd 3`); throws when it
    /// does not end within `timeoutSeconds` (it and its group are killed).
    static func run(interpreter: String, script: String, arguments: [String], timeoutSeconds: Double, what: String) throws -> PythonScriptRun {
        let report = try FileDescriptor.makePipe()
        let lifeline = try FileDescriptor.makePipe()
        defer {
            FileDescriptor.close(report.read)
            FileDescriptor.close(lifeline.write)
        }
        let child: ChildProcess
        do {
            child = try ChildProcess(
                executable: interpreter, arguments: ["-S", script, "--report-fd", "3"] + arguments,
                standardInput: lifeline.read, extraDescriptors: [(3, report.write)], ownGroup: true)
        } catch {
            [report.write, lifeline.read].forEach(FileDescriptor.close)
            throw error
        }
        FileDescriptor.close(report.write)
        FileDescriptor.close(lifeline.read)
        // The program stops itself at its timeout; the grace lets its error line arrive first,
        // and is short enough for the runner to report the cell failed within timeout + 1 s.
        guard let exit = child.wait(until: MonotonicClock.deadline(afterSeconds: timeoutSeconds + graceSeconds)) else {
            throw BenchError.runFailed(
                "\(what) (pid \(child.pid)) did not finish within --timeout \(timeoutSeconds) s; it and its processes were killed",
                fix: "raise --timeout, or look for a hung task")
        }
        let (bytes, _) = FileDescriptor.readToEnd(report.read)
        return PythonScriptRun(
            pid: child.pid, status: exit.status,
            reportLine: String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
            lastErrorLine: child.standardError().split(whereSeparator: \.isNewline).last.map(String.init) ?? "no message")
    }

    /// A program's own one-line error, `what — how to fix`, as a run failure.
    static func failure(_ message: String, fix: String) -> BenchError {
        let parts = message.components(separatedBy: " — ")
        return parts.count >= 2
            ? .runFailed(parts.dropLast().joined(separator: " — "), fix: parts.last!)
            : .runFailed(message, fix: fix)
    }
}
