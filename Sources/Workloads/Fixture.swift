/// Something a workload needs around its samples, declared beside the
/// workload and driven by the runner without knowing which workload it is:
/// the local HTTP server, the print sink and its line check.
///
/// The runner starts one fixture per distinct set of `keyParameters` values
/// before measuring, brackets every sample of the cells that use it, and
/// stops it at the end however the invocation ends. A fixture that finds its
/// service missing throws `FixtureUnavailable`, which ends the invocation
/// with one clear error rather than a failure per cell.
public protocol WorkloadFixture: AnyObject {
    /// The values the workload is made with while this fixture is up: the
    /// cell's own values plus what only the fixture knows (the URL of the
    /// server it started). The cell's identity keeps the values as given.
    func resolve(_ parameters: ParameterValues) -> ParameterValues
    /// Just before a sample's clock starts (outside the measured span).
    func sampleWillStart() throws
    /// Right after the sample, outside its span: puts things back and checks
    /// what the fixture received from the tasks the sample ran (`0..<n` for
    /// every model but one that runs part of them by design); throws a
    /// `ReportableError` when the check fails.
    func sampleDidEnd(tasks: Range<Int>) throws
    /// The sample failed: put things back without checking.
    func sampleAbandoned()
    /// Stops whatever the fixture started. Called once, at the end.
    func stop()
    /// What meta.json records of it, e.g. `started by bench at http://127.0.0.1:40123/`.
    var note: String? { get }
}

extension WorkloadFixture {
    public func resolve(_ parameters: ParameterValues) -> ParameterValues { parameters }
    public func sampleWillStart() throws {}
    public func sampleDidEnd(tasks: Range<Int>) throws {}
    public func sampleAbandoned() {}
    public func stop() {}
    public var note: String? { nil }
}

/// How to start a workload's fixture, and which parameters tell two apart.
public struct FixtureDeclaration: Sendable {
    /// Cells whose values of these parameters agree share one fixture.
    public let keyParameters: [String]
    /// Starts a fixture for a cell's values (all of the workload's parameters).
    public let start: @Sendable (ParameterValues) throws -> any WorkloadFixture
    /// Why tasks must run on this machine to reach what the fixture started
    /// (a sink, a server on 127.0.0.1), for models whose workers may run
    /// elsewhere; nil when a task anywhere can use it.
    public let thisMachineOnly: String?

    public init(
        keyParameters: [String], thisMachineOnly: String? = nil,
        start: @escaping @Sendable (ParameterValues) throws -> any WorkloadFixture
    ) {
        self.keyParameters = keyParameters
        self.thisMachineOnly = thisMachineOnly
        self.start = start
    }

    /// The part of `values` that identifies a fixture.
    public func key(_ values: ParameterValues) -> ParameterValues {
        ParameterValues(values.values.filter { keyParameters.contains($0.key) })
    }
}
