/// What an experiment's report gives its invocation back: the text it
/// prints (its own tables and its claims), and its claims table, which the
/// invocation also writes into the run folder (claims.csv) and hands the
/// exporters, so that the claims reach an export, not only the terminal.
public struct ExperimentReport: Sendable {
    public let text: String
    public let claims: ClaimsReport?

    public init(text: String, claims: ClaimsReport? = nil) {
        self.text = text
        self.claims = claims
    }
}
