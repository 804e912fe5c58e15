import Workloads

/// `bench list`: the workloads, models and parameters, with their defaults.
enum ListCommand: BenchCommand {
    static let name = "list"
    static let summary = "list workloads, models, parameters and their defaults"

    static var help: String {
        Usage.command("bench list", summary: summary, groups: [("Options", [Usage.helpOption])])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        let arguments = try Arguments(words, accepting: [Usage.helpOption])
        if arguments.has("--help") {
            print(help)
            return .success
        }
        if let extra = arguments.positionals.first {
            throw BenchError.usage("unexpected argument '\(extra)'", fix: "bench list takes no arguments")
        }
        print(render())
        return .success
    }

    static func render() -> String {
        let defaults = MatrixOptions()
        let quick = MatrixOptions.quickDefaults
        var text = "Workloads (--workload):\n"
        let nameWidth = (WorkloadRegistry.names.map(\.count).max() ?? 0) + 2
        for descriptor in WorkloadRegistry.all {
            text += "  \(pad(descriptor.name, nameWidth))\(pad(descriptor.kind.rawValue, 5))\(descriptor.summary)\n"
            text += "  \(pad("", nameWidth))     tasks per cell: \(descriptor.defaultTasks) (--quick \(descriptor.quickTasks))\n"
            let parameters = MatrixFlags.workloadParameters.filter { descriptor.parameterFlags.contains($0.name) }
            for spec in parameters {
                text += "  \(pad("", nameWidth))     \(spec.name): \(spec.help.drop { $0 != ":" }.dropFirst(2))\n"
            }
        }
        text += "\nModels (--model):\n"
        let modelWidth = (ModelName.selectable.map(\.rawValue.count).max() ?? 0) + 2
        for model in ModelName.selectable {
            let note = ModelRegistry.available.contains(model) ? "" : " (not in this build yet)"
            text += "  \(pad(model.rawValue, modelWidth))\(model.summary)\(note)\n"
        }
        func join(_ values: [Int]) -> String { values.map(String.init).joined(separator: ",") }
        text += """

            Matrix defaults:
              --workers \(join(defaults.workers))  --runs \(defaults.runs)  --warmup \(defaults.warmup)  --processes \(defaults.processes)  --seed \(defaults.seed)  --timeout \(Int(defaults.timeoutSeconds))
              --quick: --workers \(join(quick.workers))  --runs \(quick.runs), smaller tasks per cell and lighter tasks
              pools: --chunksize ceil(tasks / (4 x processes))  --dispatch \(defaults.pool.dispatch.rawValue) (hybrid)
            """
        return text
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
