import Harness
import Platform

/// Routes the command line to a subcommand.
enum CommandLineInterface {
    /// Every subcommand, in the order help lists them.
    static let commands: [CommandEntry] = [
        CommandEntry(RunCommand.self),
        CommandEntry(ListCommand.self),
        CommandEntry(ExperimentCommand.self),
        CommandEntry(CompareCommand.self),
        CommandEntry(PlotCommand.self),
        CommandEntry(ReportCommand.self),
        CommandEntry(CalibrateCommand.self),
        CommandEntry(DocsCommand.self),
        CommandEntry(ServeCommand.self),
    ]

    static func run(_ words: [String]) throws -> ExitCode {
        guard let first = words.first else {
            return try RunCommand.runMatrix([], defaultLabel: "default")
        }
        switch first {
        case "--help", "-h", "help":
            print(help)
            return .success
        case "--version":
            print("bench \(BuildInfo.version) (\(BuildInfo.configuration) build, Swift \(BuildInfo.swiftVersion))")
            return .success
        default:
            break
        }
        if first.hasPrefix("-") {
            // `bench --quick` and friends: flags without a command mean `run`.
            return try RunCommand.runMatrix(words, defaultLabel: words.contains("--quick") ? "quick" : "default")
        }
        guard let command = commands.first(where: { $0.name == first }) else {
            throw BenchError.usage("unknown command '\(first)'", fix: "choose from \(commands.map(\.name).joined(separator: ", ")) (see bench --help)")
        }
        return try command.run(Array(words.dropFirst()))
    }

    static var help: String {
        let width = (commands.map(\.name.count).max() ?? 0) + 2
        var text = """
            usage: bench [COMMAND] [OPTIONS]

            Measures concurrency models (serial, threads, process pools, hybrid, async, and the
            same in Python) against each other on CPU-bound and IO-bound workloads, and writes
            every measurement as CSV under results/<run>/, with its charts and report.html (one
            page with every table and chart of the run; --no-report skips it).

            With no command, bench runs the default matrix (same as 'bench run').

            Commands:

            """
        for command in commands {
            text += "  " + command.name + String(repeating: " ", count: width - command.name.count) + command.summary + "\n"
        }
        text += """

            Options:
              --help     show help (also after a command: bench run --help)
              --version  show the version

            Examples:
              swift run -c release bench
              swift run -c release bench run --workload xor,sleep --model thread,async --workers 1,2,4,64
              swift run -c release bench experiment list
              swift run -c release bench list
              swift run -c release bench report results/latest
              swift run -c release bench serve --http-latency-ms 20
            """
        return text
    }
}
