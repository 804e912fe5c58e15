import Platform

/// A fixture's service cannot be used at all (e.g. nothing listens at
/// `--http-url`). Every cell that uses the fixture would fail the same way,
/// so the runner ends the invocation with this one error instead of failing
/// each cell in turn.
public struct FixtureUnavailable: ReportableError {
    public let what: String
    public let fix: String
    public var exitCode: ExitCode { .runFailed }

    public init(_ what: String, fix: String) {
        self.what = what
        self.fix = fix
    }
}
