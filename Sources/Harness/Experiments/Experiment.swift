import Platform

/// A named reproduction of a seed tutorial's claim: `bench experiment NAME`.
///
/// It declares the claims it tests and where they come from, its options,
/// and runs its cells through the same runner as any matrix, writing the
/// usual CSV plus its own `experiment.csv`, printing the seed's figure beside
/// the measured one with a verdict. Its chart is `plot/experiment-<name>.gp`.
/// Adding an experiment = its files + one line in `ExperimentRegistry`.
public protocol Experiment: Sendable {
    var name: String { get }
    /// One line for `bench experiment list`.
    var summary: String { get }
    /// The seed claims it tests.
    var claims: [SeedClaim] { get }
    /// Its command-line options (the output options are added for every experiment).
    var options: [OptionSpec] { get }
    /// Paragraphs for its `--help`.
    var notes: [String] { get }
    /// Runs it with its parsed options.
    func run(_ arguments: Arguments, output: Invocation.Output) throws -> ExitCode
}

/// A claim of a seed tutorial, in its own words (translated), and where it is.
public struct SeedClaim: Sendable {
    public let text: String
    /// The seed file, e.g. `004_95ac3f0aae6b03f9.txt`.
    public let source: String

    public init(_ text: String, source: String) {
        self.text = text
        self.source = source
    }
}

/// Every experiment, in the order `bench experiment list` shows them.
public enum ExperimentRegistry {
    public static let all: [any Experiment] = [
        Seed400Experiment(),
        GILExperiment(),
        DistributedExperiment(),
        CrossoverExperiment(),
        ChannelsExperiment(),
        HandoffExperiment(),
        PoolCallsExperiment(),
        CrawlerExperiment(),
        ServersExperiment(),
        LocksExperiment(),
        SharingExperiment(),
        GILSwitchExperiment(),
    ]

    public static func experiment(named name: String) -> (any Experiment)? {
        all.first { $0.name == name }
    }
}
