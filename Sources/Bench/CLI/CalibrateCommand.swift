import Foundation

/// `bench calibrate`: this machine's floors, printed and written as CSV.
enum CalibrateCommand: BenchCommand {
    static let name = "calibrate"
    static let summary = "measure this machine's floors: thread and process start, pipes, dispatch, sleep, xor"
    static let defaultRepetitions = 20

    static let options = [
        OptionSpec("--repeat", value: "N", help: "repetitions of each cheap probe (default \(defaultRepetitions); slow probes take fewer)"),
        OptionSpec("--out", value: "DIR", help: "results root; writes DIR/<stamp>-calibrate/calibration.csv (default results)"),
        Usage.helpOption,
    ]

    static let csvHeader = ["measurement", "unit", "samples", "median", "min", "max", "ci_lo", "ci_hi"]

    static var help: String {
        Usage.command(
            "bench calibrate [--repeat N] [--out DIR]", summary: summary, groups: [("Options", options)],
            notes: ["A difference between two cells smaller than these floors says nothing about the models."])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        let arguments = try Arguments(words, accepting: options)
        if arguments.has("--help") {
            print(help)
            return .success
        }
        if let extra = arguments.positionals.first {
            throw BenchError.usage("unexpected argument '\(extra)'", fix: "bench calibrate takes only options")
        }
        let repetitions = try arguments.integer("--repeat", in: 1...10_000, example: 20) ?? defaultRepetitions
        let progress = ProgressLine()
        let started = MonotonicClock.now()
        var step = 0
        let measurements = try FloorProbes(repetitions: repetitions).measureAll { name in
            step += 1
            progress.show(done: step - 1, of: step, what: name, elapsed: MonotonicClock.seconds(since: started), remaining: nil)
        }
        progress.clear()

        let folder = URL(fileURLWithPath: arguments.string("--out") ?? "results")
            .appendingPathComponent(RunFolder.stamp(Date()) + "-calibrate")
        try write(measurements, to: folder)
        let host = HostInfo.current()
        print("calibration of \(host.hostName) (\(host.logicalCores) cores, \(host.cpuModel)), \(BuildInfo.configuration) build\n")
        print(table(measurements))
        printNote("results: \(folder.path)/calibration.csv")
        return .success
    }

    static func table(_ measurements: [FloorMeasurement]) -> String {
        let header = ["measurement", "median", "min", "max", "runs"]
        let body = measurements.compactMap { measurement -> [String]? in
            guard let statistics = measurement.statistics else { return nil }
            return [
                measurement.name, measurement.display(statistics.median), measurement.display(statistics.minimum),
                measurement.display(statistics.maximum), String(statistics.count),
            ]
        }
        return TextTable(header: header, rows: body).render()
    }

    static func write(_ measurements: [FloorMeasurement], to folder: URL) throws {
        var lines = [CSVFormat.line(csvHeader)]
        for measurement in measurements {
            guard let statistics = measurement.statistics else { continue }
            let interval = Statistics.medianInterval(measurement.samples)
            let places = measurement.unit == .seconds ? 9 : 4
            lines.append(CSVFormat.line([
                measurement.name, measurement.unit.rawValue, String(statistics.count),
                CSVFormat.decimal(statistics.median, places: places), CSVFormat.decimal(statistics.minimum, places: places),
                CSVFormat.decimal(statistics.maximum, places: places), CSVFormat.decimal(interval?.lowerBound, places: places),
                CSVFormat.decimal(interval?.upperBound, places: places),
            ]))
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("calibration.csv"), options: .atomic)
        } catch {
            throw BenchError.io("cannot write \(folder.path)/calibration.csv: \(error.localizedDescription)")
        }
    }
}
