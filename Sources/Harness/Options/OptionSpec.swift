/// One `--flag` a subcommand accepts: its declaration, which the commands
/// and experiments make and the parser (in Bench) and help read. It lives
/// below the command line because experiments, in their own target above
/// Harness, declare their options too.
public struct OptionSpec: Sendable {
    public let name: String
    /// Placeholder of the value (`N`, `LIST`); nil for a flag that takes none.
    public let value: String?
    public let help: String

    public init(_ name: String, value: String? = nil, help: String) {
        self.name = name
        self.value = value
        self.help = help
    }
}
