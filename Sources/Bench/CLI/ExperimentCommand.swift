/// `bench experiment NAME`: named reproductions of the seed tutorials' claims.
enum ExperimentCommand: BenchCommand {
    static let name = "experiment"
    static let summary = "reproduce a claim of the seed tutorials (seed-400: 400 threads vs 4 x 400 threads)"

    static var help: String {
        Usage.command(
            "bench experiment seed-400 [OPTIONS]", summary: Seed400Experiment.summary,
            groups: [("Options", Seed400Experiment.options + [Usage.helpOption])],
            notes: [
                "Runs 1x1, 1x400, 4x1, 4x10 and 4x400 (processes x threads) with Swift's hybrid model and, when\npython3 is present, the tutorial's Python program (reference/python/seed400.py), on every sink,\nand prints the tutorial's 17 s and 39 s beside the measured medians. With the pipe, file and\ntty sinks every line is checked: each item printed exactly once.",
                "Writes the usual raw.csv and summary.csv (workload print), plus experiment.csv for plot.sh.",
            ])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        guard let experiment = words.first, !experiment.hasPrefix("-") else {
            if words.contains("--help") || words.contains("-h") {
                print(help)
                return .success
            }
            throw BenchError.usage("experiment needs a name", fix: "e.g. bench experiment seed-400")
        }
        guard experiment == Seed400Experiment.name else {
            throw BenchError.usage("unknown experiment '\(experiment)'", fix: "choose from \(Seed400Experiment.name)")
        }
        let arguments = try Arguments(Array(words.dropFirst()), accepting: Seed400Experiment.options + [Usage.helpOption])
        if arguments.has("--help") {
            print(help)
            return .success
        }
        if let extra = arguments.positionals.first {
            throw BenchError.usage("unexpected argument '\(extra)'", fix: "options start with --; see bench experiment --help")
        }
        return try Seed400Experiment.run(arguments)
    }
}
