import Foundation
import Glibc
import Platform

/// Draws a finished run's charts by calling the package's own `plot.sh
/// RUN_DIR`, and says on stderr where they are, or in one line why there are none.
///
/// Charts are a convenience on top of the CSV: nothing here can fail a run.
/// A missing gnuplot or plot.sh is a note, a failing plot.sh a warning.
public enum Plotter {
    public static let installCommand = "apt-get install gnuplot-nox"

    public static func plot(_ folder: String) {
        guard PackageFile.onPath("gnuplot") != nil else {
            printNote("no charts: gnuplot is not installed — \(installCommand), then ./plot.sh \(folder)")
            return
        }
        guard let script = PackageFile.locate("plot.sh") else {
            printNote("no charts: no plot.sh above the bench binary (it ships with the package) — run it from the package: ./plot.sh \(folder)")
            return
        }
        do {
            let (status, output) = try run(script.path, arguments: [folder])
            if status.isSuccess {
                let count = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/plots"))?.filter { $0.hasSuffix(".png") }.count ?? 0
                printNote("charts: \(folder)/plots/ (\(count) charts, .png and .svg)")
            } else {
                let lines = output.split(whereSeparator: \.isNewline)
                let reason = lines.last { $0.contains("error") } ?? lines.last ?? "no output"
                printNote("warning: plot.sh \(status), so some charts may be missing: \(reason) — the measurements are complete; rerun ./plot.sh \(folder) to see why")
            }
        } catch {
            printNote("warning: could not start plot.sh (\(oneLine(error))) — the measurements are complete; run ./plot.sh \(folder) yourself")
        }
    }

    /// Runs `bash script arguments...` (bash, so a lost executable bit does not
    /// matter) and returns how it ended and its stdout and stderr, merged.
    private static func run(_ script: String, arguments: [String]) throws -> (ExitStatus, String) {
        let bash = PackageFile.onPath("bash")?.path ?? "/bin/bash"
        let (child, bytes) = try ChildProcess.capturingOutput(executable: bash, arguments: [script] + arguments, mergingStandardError: true)
        return (child.wait().status, String(decoding: bytes, as: UTF8.self))
    }
}
