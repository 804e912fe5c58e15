/// A subcommand of `bench`.
protocol BenchCommand: Sendable {
    /// The word after `bench`, e.g. `run`.
    static var name: String { get }
    /// One line for `bench --help`.
    static var summary: String { get }
    /// Hidden commands (the worker entry) are not listed in help.
    static var isHidden: Bool { get }
    /// The full `--help` text.
    static var help: String { get }
    /// Runs with the words after the command name.
    static func run(_ words: [String]) throws -> ExitCode
}

extension BenchCommand {
    static var isHidden: Bool { false }
}

/// A subcommand's entry in the command table. Built through a generic
/// initializer: calling static members through `any BenchCommand.Type`
/// crashes the Swift 6.3 compiler.
struct CommandEntry: Sendable {
    let name: String
    let summary: String
    let isHidden: Bool
    let run: @Sendable ([String]) throws -> ExitCode

    init<Command: BenchCommand>(_ command: Command.Type) {
        name = Command.name
        summary = Command.summary
        isHidden = Command.isHidden
        run = { try Command.run($0) }
    }
}
