import Harness
import Platform

/// One mechanism or variant a probe experiment measures (a lock, a counter
/// variant...): its name, language, what the probe measures of it (its
/// kind), who its parties are, and its operations per sample as a multiple
/// of the experiment's count (slow ones fewer).
struct ProbeSubject: Sendable {
    let name: String
    let language: String
    let kind: String
    let parties: String
    let summary: String
    let factor: Double

    init(name: String, language: String, kind: String, parties: String, summary: String, factor: Double = 1) {
        self.name = name
        self.language = language
        self.kind = kind
        self.parties = parties
        self.summary = summary
        self.factor = factor
    }

    /// `--kind` (its help: `kinds`) and `--subject` (`noun` to measure, from the list under the help).
    static func options(kinds: String, noun: String) -> [OptionSpec] {
        [
            OptionSpec("--kind", value: "LIST", help: "what to measure, comma-separated: \(kinds) (default all)"),
            OptionSpec("--subject", value: "LIST", help: "\(noun) to measure, comma-separated (default all; see below)"),
        ]
    }

    /// The kinds and names `--kind` and `--subject` ask for (nil names: all).
    static func parse(_ arguments: Arguments, kinds: [String], subjects: [ProbeSubject], noun: String) throws -> (kinds: [String], names: [String]?) {
        (
            try arguments.choiceList("--kind", from: kinds, noun: "kind") ?? kinds,
            try arguments.choiceList("--subject", from: Array(Set(subjects.map(\.name))).sorted(), noun: noun)
        )
    }

    /// Those of `subjects` of one of `kinds` and named in `names` (nil: any),
    /// Swift's only when Python is not measured, which it then says once.
    static func select(_ subjects: [ProbeSubject], kinds: [String], names: [String]?, python: Bool, noun: String) -> [ProbeSubject] {
        let asked = subjects.filter { kinds.contains($0.kind) && (names?.contains($0.name) ?? true) }
        let selected = asked.filter { python || $0.language == "swift" }
        if selected.count < asked.count {
            printNote("note: --no-python: the Python \(noun) are not measured")
        }
        return selected
    }

    /// The help paragraph that lists them: `  name (language, kind, parties): summary`.
    static func listing(_ subjects: [ProbeSubject], title: String) -> String {
        "\(title) (kind, parties: what):\n" + subjects.map { "  \($0.name) (\($0.language), \($0.kind), \($0.parties)): \($0.summary)" }.joined(separator: "\n")
    }
}
