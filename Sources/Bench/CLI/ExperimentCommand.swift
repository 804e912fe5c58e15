import Experiments
import Harness
import Platform

/// `bench experiment NAME`: named reproductions of the seed tutorials' claims;
/// `bench experiment list` shows each with the claims it tests.
enum ExperimentCommand: BenchCommand {
    static let name = "experiment"
    static let summary = "reproduce a claim of the seed tutorials (bench experiment list shows them)"

    static var help: String {
        Usage.command(
            "bench experiment NAME [OPTIONS] | bench experiment list", summary: summary,
            groups: [("Options", [Usage.helpOption])],
            notes: ["Experiments:\n" + ExperimentRegistry.all.map { "  \($0.name)  \($0.summary)" }.joined(separator: "\n"),
                    "bench experiment NAME --help shows an experiment's own options."])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        guard let first = words.first, !first.hasPrefix("-") else {
            if words.contains("--help") || words.contains("-h") {
                print(help)
                return .success
            }
            throw BenchError.usage("experiment needs a name", fix: "e.g. bench experiment seed-400 (bench experiment list shows them all)")
        }
        if first == "list" {
            guard try Arguments.parse(Array(words.dropFirst()), options: [], help: help) != nil else { return .success }
            print(list())
            return .success
        }
        guard let experiment = ExperimentRegistry.experiment(named: first) else {
            throw BenchError.usage(
                "unknown experiment '\(first)'", fix: "choose from \(ExperimentRegistry.all.map(\.name).joined(separator: ", ")) (bench experiment list)")
        }
        let experimentHelp = Usage.command(
            "bench experiment \(experiment.name) [OPTIONS]", summary: experiment.summary,
            groups: [("Options", experiment.options), ("Output", MatrixFlags.output + [Usage.helpOption])],
            notes: ["Claims tested:\n" + experiment.claims.map { "  \"\($0.text)\" (\($0.source))" }.joined(separator: "\n")] + experiment.notes)
        guard let arguments = try Arguments.parse(
            Array(words.dropFirst()), options: experiment.options + MatrixFlags.output, help: experimentHelp) else { return .success }
        return try experiment.run(arguments, output: RunCommand.outputOptions(arguments, defaultLabel: experiment.name))
    }

    /// Every experiment with the seed claims it tests and their source files.
    static func list() -> String {
        var text = ""
        for experiment in ExperimentRegistry.all {
            text += "\(experiment.name): \(experiment.summary)\n"
            for claim in experiment.claims {
                text += "  claim: \"\(claim.text)\"\n  source: seed tutorial \(claim.source)\n"
            }
            text += "  chart: plot/experiment-\(experiment.name).gp\n\n"
        }
        return text
    }
}
