import Foundation
import Harness
import Platform

/// `bench calibrate`: this machine's floors, printed and written as CSV.
enum CalibrateCommand: BenchCommand {
    static let name = "calibrate"
    static let summary = "measure this machine's floors: thread and worker start, pipes, dispatch, sleep, xor"
    static let defaultRepetitions = 20

    static let options = [
        OptionSpec("--repeat", value: "N", help: "repetitions of each cheap probe (default \(defaultRepetitions); slow probes take fewer)"),
        OptionSpec("--out", value: "DIR", help: "results root; writes DIR/<stamp>-calibrate/calibration.csv (default results)"),
    ]

    static var help: String {
        Usage.command(
            "bench calibrate [--repeat N] [--out DIR]", summary: summary, groups: [("Options", options + [Usage.helpOption])],
            notes: ["A difference between two cells smaller than these floors says nothing about the models."])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        guard let arguments = try Arguments.parse(words, options: options, help: help) else { return .success }
        let repetitions = try arguments.integer("--repeat", in: 1...10_000, example: 20) ?? defaultRepetitions
        // The folder first: a bad --out is found before minutes of measuring, not after.
        let root = try Invocation.checkRoot(arguments.string("--out") ?? "results")
        let folder = try Calibration.makeFolder(root: root)
        let progress = ProgressLine()
        let started = MonotonicClock.now()
        let measurements: [FloorMeasurement]
        do {
            measurements = try FloorProbes(repetitions: repetitions).measureAll { done, total, name in
                progress.show(done: done, of: total, what: name, elapsed: MonotonicClock.seconds(since: started), remaining: nil)
            }
        } catch {
            progress.clear()
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        progress.clear()
        try Calibration.write(measurements, to: folder)
        let host = HostInfo.current()
        print("calibration of \(host.hostName) (\(host.logicalCores) cores, \(host.cpuModel)), \(BuildInfo.configuration) build\n")
        print(Calibration.table(measurements))
        printNote("results: \(folder)/calibration.csv")
        return .success
    }
}
