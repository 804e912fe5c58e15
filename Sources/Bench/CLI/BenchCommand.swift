import Harness
import Platform

/// A subcommand of `bench`.
protocol BenchCommand: Sendable {
    /// The word after `bench`, e.g. `run`.
    static var name: String { get }
    /// One line for `bench --help`.
    static var summary: String { get }
    /// The full `--help` text.
    static var help: String { get }
    /// Runs with the words after the command name.
    static func run(_ words: [String]) throws -> ExitCode
}

/// A subcommand's entry in the command table. Built through a generic
/// initializer: calling static members through `any BenchCommand.Type`
/// crashes the Swift 6.3 compiler.
struct CommandEntry: Sendable {
    let name: String
    let summary: String
    let run: @Sendable ([String]) throws -> ExitCode

    init<Command: BenchCommand>(_ command: Command.Type) {
        name = Command.name
        summary = Command.summary
        run = { try Command.run($0) }
    }
}

extension Arguments {
    /// Parses `words` for a command, printing its help and returning nil for
    /// `--help`; rejects stray positional words unless `positionals` allows them.
    static func parse(_ words: [String], options: [OptionSpec], help: String, positionals: Bool = false) throws -> Arguments? {
        let arguments = try Arguments(words, accepting: options + [Usage.helpOption])
        if arguments.has("--help") {
            print(help)
            return nil
        }
        if !positionals, let extra = arguments.positionals.first {
            throw BenchError.usage("unexpected argument '\(extra)'", fix: "options start with --; see --help")
        }
        return arguments
    }
}
