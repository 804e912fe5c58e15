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
