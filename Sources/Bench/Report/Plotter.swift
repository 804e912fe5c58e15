import Foundation

/// Draws a finished run's charts by calling `plot.sh RUN_DIR`, and says on
/// stderr where they are, or in one line why there are none.
///
/// Charts are a convenience on top of the CSV: nothing here can fail a run.
/// A missing gnuplot or plot.sh is a note, a failing plot.sh a warning.
enum Plotter {
    static let installCommand = "apt-get install gnuplot-nox"

    static func plot(_ runFolder: URL) {
        let folder = runFolder.path
        guard PackageFile.onPath("gnuplot") != nil else {
            printNote("no charts: gnuplot is not installed — \(installCommand), then ./plot.sh \(folder)")
            return
        }
        guard let script = PackageFile.locate("plot.sh") else {
            printNote("no charts: plot.sh is neither in the current folder nor above the bench binary — run it from the package: ./plot.sh \(folder)")
            return
        }
        do {
            let (status, output) = try run(script, arguments: [folder])
            if status == 0 {
                let count = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/plots"))?.filter { $0.hasSuffix(".png") }.count ?? 0
                printNote("charts: \(folder)/plots/ (\(count) charts, .png and .svg)")
            } else {
                let reason = output.split(separator: "\n").last { $0.contains("error") } ?? output.split(separator: "\n").last ?? "no output"
                printNote("warning: plot.sh exited with \(status), so some charts may be missing: \(reason) — the measurements are complete; rerun ./plot.sh \(folder) to see why")
            }
        } catch {
            printNote("warning: could not start plot.sh (\(error.localizedDescription)) — the measurements are complete; run ./plot.sh \(folder) yourself")
        }
    }

    /// Runs `bash script arguments...` (bash, so a lost executable bit does not
    /// matter) and returns its exit status and its stdout and stderr, merged.
    private static func run(_ script: URL, arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = PackageFile.onPath("bash") ?? URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path] + arguments
        // One pipe for both streams: reading it to the end cannot deadlock.
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
