import Foundation
import Platform

/// The Python interpreter the Python models run: resolved once to the real
/// binary (a pyenv `python3` is a shell-script shim that starts a dozen
/// processes, ~100 ms, which must not be timed), with its version, GIL and
/// start method for meta.json.
public struct PythonInterpreter: Sendable {
    public let path: String
    public let version: String
    /// `sys._is_gil_enabled()` where it exists (3.13+); true before.
    public let gilEnabled: Bool
    public let defaultStartMethod: String
    public let switchIntervalSeconds: Double

    /// No usable interpreter.
    public struct Missing: ReportableError {
        public let what: String
        public let fix: String
        public var exitCode: ExitCode { .usage }
    }

    /// Resolves `path` (or `python3` on PATH) to the interpreter binary and
    /// asks it about itself; CPython 3.8 or later is required.
    public static func resolve(_ path: String?) throws -> PythonInterpreter {
        let launcher: String
        if let path {
            guard !path.contains(",") else {
                throw Missing(what: "--python \(path) lists several interpreters, and this command takes one", fix: "give --python one interpreter")
            }
            launcher = path.contains("/") ? path : PackageFile.onPath(path)?.path ?? path
        } else {
            guard let found = PackageFile.onPath("python3") else {
                throw Missing(what: "python3 is not on PATH", fix: "install it (apt-get install python3) or give --python PATH")
            }
            launcher = found.path
        }
        // Written to run on any Python, 2.7 included, so that an old one says which version it is.
        let probe = """
            import sys, platform
            try:
                import multiprocessing
                method = multiprocessing.get_start_method()
            except Exception:
                method = "unknown"
            gil = getattr(sys, "_is_gil_enabled", lambda: True)()
            sys.stdout.write("%s\\n%d.%d.%d\\n%d\\n%s\\n%r\\n%s\\n" % (sys.executable, sys.version_info[0], sys.version_info[1], sys.version_info[2], 1 if gil else 0, method, sys.getswitchinterval() if hasattr(sys, "getswitchinterval") else 0.005, platform.python_implementation()))
            """
        let child: ChildProcess
        let bytes: [UInt8]
        do {
            (child, bytes) = try ChildProcess.capturingOutput(executable: launcher, arguments: ["-c", probe])
        } catch {
            throw Missing(what: "cannot run \(launcher)", fix: "give --python the path of a CPython 3.8+ interpreter")
        }
        guard let exit = child.wait(until: MonotonicClock.deadline(afterSeconds: 30)), exit.status.isSuccess else {
            throw Missing(what: "\(launcher) is not a working Python 3 interpreter", fix: "give --python the path of a CPython 3.8+ interpreter")
        }
        return try described(by: String(decoding: bytes, as: UTF8.self), launcher: launcher)
    }

    /// The interpreter from the probe's answer: its path, version, GIL (1 or
    /// 0), start method, switch interval and implementation, one a line.
    static func described(by answer: String, launcher: String) throws(Missing) -> PythonInterpreter {
        let lines = answer.split(separator: "\n").map(String.init)
        guard lines.count == 6, lines[0].hasPrefix("/") else {
            throw Missing(what: "\(launcher) did not describe itself as Python 3 does", fix: "give --python the path of a CPython 3.8+ interpreter")
        }
        let parts = lines[1].split(separator: ".").compactMap { Int($0) }
        guard parts.count == 3, (parts[0], parts[1]) >= (3, 8) else {
            throw Missing(what: "\(launcher) is Python \(lines[1]); bench needs 3.8 or later", fix: "give --python a newer interpreter")
        }
        guard lines[5] == "CPython" else {
            throw Missing(what: "\(launcher) is \(lines[5]) \(lines[1]), not CPython", fix: "give --python a CPython 3.8+ interpreter (the driver measures CPython's threads and GIL)")
        }
        return PythonInterpreter(
            path: lines[0], version: lines[1], gilEnabled: lines[2] == "1", defaultStartMethod: lines[3],
            switchIntervalSeconds: Double(lines[4]) ?? 0.005)
    }

    public var metadata: JSONValue {
        .object([
            "path": .string(path), "version": .string(version), "gil_enabled": .bool(gilEnabled),
            "default_start_method": .string(defaultStartMethod), "switch_interval_s": .number(switchIntervalSeconds),
        ])
    }
}
