import Engine
import Harness
import Platform
import Workloads

/// `bench list`: the workloads with their parameters, the models, and the defaults.
enum ListCommand: BenchCommand {
    static let name = "list"
    static let summary = "list workloads, their parameters, models and the defaults"

    static var help: String {
        Usage.command("bench list", summary: summary, groups: [("Options", [Usage.helpOption])])
    }

    static func run(_ words: [String]) throws -> ExitCode {
        guard try Arguments.parse(words, options: [], help: help) != nil else { return .success }
        print(render())
        return .success
    }

    static func render() -> String {
        let defaults = MatrixOptions()
        let quick = MatrixOptions.quickDefaults
        var text = "Workloads (--workload):\n"
        let nameWidth = (WorkloadRegistry.names.map(\.count).max() ?? 0) + 2
        for declaration in WorkloadRegistry.all {
            text += "  \(pad(declaration.name, nameWidth))\(pad(declaration.kind.rawValue, 5))\(declaration.summary)\n"
            let indent = "  " + pad("", nameWidth) + "     "
            text += "\(indent)tasks per cell: \(declaration.defaultTasks) (--quick \(declaration.quickTasks))"
            text += declaration.tasksFlag.map { ", or --\($0)" } ?? ""
            text += declaration.hasPythonVersion ? "; Python version: yes" : "; Python version: no"
            text += declaration.inDefaultMatrix ? "\n" : "; not in the default matrix (--workload \(declaration.name))\n"
            for parameter in declaration.parameters {
                let range = parameter.rangeDescription.isEmpty ? "" : ", \(parameter.rangeDescription)"
                text += "\(indent)\(parameter.flag): \(parameter.helpWithDefaults.drop { $0 != ":" }.dropFirst(2))\(range)\n"
            }
        }
        text += "\nModels (--model):\n"
        let modelWidth = (ModelCatalog.names.map(\.count).max() ?? 0) + 2
        for model in ModelCatalog.all {
            let inDefault = ModelCatalog.defaultMatrix.contains(model.name) ? "" : " (not in the default matrix)"
            text += "  \(pad(model.name, modelWidth))\(model.summary)\(inDefault)\n"
        }
        func join(_ values: [Int]) -> String { values.map(String.init).joined(separator: ",") }
        text += """

            Matrix defaults:
              --workers \(join(defaults.workers))  --processes \(join(defaults.processes))  --runs \(defaults.runs)  --warmup \(defaults.warmup)  --seed \(defaults.seed)  --timeout \(Int(defaults.timeoutSeconds))
              --runs auto: --precision \(VerdictPolicy(margin: defaults.sampling.precision).marginPercent)  --max-runs \(defaults.sampling.maxRuns)  --budget \(Int(defaults.sampling.budgetSeconds ?? 0))  --margin \(VerdictPolicy(margin: defaults.margin).marginPercent)
              --quick: --workers \(join(quick.workers))  --runs \(quick.runs)  --warmup \(quick.warmup), fewer tasks per cell and lighter tasks
              pools: --chunksize ceil(tasks / (4 x processes))  --dispatch \(defaults.pool.dispatch.rawValue) (hybrid; lockstep: process-pool too)  --start-method \(defaults.pool.startMethod.rawValue)
            """
        return text
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
