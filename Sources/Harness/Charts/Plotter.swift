import Foundation
import Glibc
import Platform

/// Writes a finished run's chart plan (`ChartPlan`) and draws its charts by calling the package's own `plot.sh
/// RUN_DIR`, and says on stderr where they are, or in one line why there are none.
///
/// Charts are a convenience on top of the CSV: nothing here can fail a run.
/// A missing gnuplot or plot.sh is a note, a failing plot.sh a warning.
public enum Plotter {
    public static let installCommand = "apt-get install gnuplot-nox"

    /// Writes `folder`'s chart plan (plots/plan.tsv and plots/data/); says
    /// in one line why not and returns false when it cannot.
    @discardableResult
    public static func writePlan(_ folder: String) -> Bool {
        do {
            try plan(folder).write()
            return true
        } catch {
            printNote("warning: no chart plan, so no charts: \(oneLine(error)) — the measurements are complete")
            return false
        }
    }

    /// The chart plan of `folder`, from the folder alone and the package's chart files.
    public static func plan(_ folder: String) throws -> ChartPlan {
        guard let chartFiles = ChartPlan.packageChartFiles else {
            throw BenchError.runFailed("no plot/ folder above the bench binary", fix: "run the bench binary built in its package")
        }
        return try ChartPlan(folder: folder, chartFiles: chartFiles)
    }

    /// Draws the charts of `folder`, whose plan is written, with plot.sh;
    /// returns whether every chart was drawn.
    @discardableResult
    public static func plot(_ folder: String) -> Bool {
        guard PackageFile.onPath("gnuplot") != nil else {
            printNote("no charts: gnuplot is not installed — \(installCommand), then ./plot.sh \(folder)")
            return false
        }
        guard let script = PackageFile.locate("plot.sh") else {
            printNote("no charts: no plot.sh above the bench binary (it ships with the package) — run it from the package: ./plot.sh \(folder)")
            return false
        }
        do {
            let (status, output) = try run(script.path, arguments: [folder])
            if status.isSuccess {
                let count = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/plots"))?.filter { $0.hasSuffix(".png") }.count ?? 0
                printNote("charts: \(folder)/plots/ (\(count) charts, .png and .svg)")
                return true
            } else {
                let lines = output.split(whereSeparator: \.isNewline)
                let reason = lines.last { $0.contains("error") } ?? lines.last ?? "no output"
                printNote("warning: plot.sh \(status), so some charts may be missing: \(reason) — the measurements are complete; rerun ./plot.sh \(folder) to see why")
                return false
            }
        } catch {
            printNote("warning: could not start plot.sh (\(oneLine(error))) — the measurements are complete; run ./plot.sh \(folder) yourself")
            return false
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
