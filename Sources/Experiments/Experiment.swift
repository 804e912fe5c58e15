import Harness
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
    /// The speedup baselines of the models it brings beyond the catalog, by
    /// name: how `bench report` judges its run folder as the run did.
    var modelBaselines: [String: String] { get }
    /// The comparisons Holm's correction treats as one family in its run.
    var verdictFamily: VerdictPolicy.Family { get }
}

extension Experiment {
    public var modelBaselines: [String: String] { [:] }
    public var verdictFamily: VerdictPolicy.Family { .group }
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
