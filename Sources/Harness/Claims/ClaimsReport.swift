/// An experiment's claims table: its title and its checks, judged as one
/// family (Holm), in the form every reader takes it: the terminal table, the
/// exports (Markdown, JSON) and the run folder's `claims.csv`, from which
/// `bench report` renders the same table again without the samples.
public struct ClaimsReport: Sendable {
    /// e.g. `gil: the seeds' claims about Python's threads, ... measured`.
    public let title: String
    /// One per check, in the experiment's order.
    public let rows: [ClaimRow]
    /// The checks themselves, when measured in this invocation (a probe
    /// experiment's experiment.csv records them); empty when read back.
    public let checks: [ClaimCheck]

    /// The checks' verdicts, judged together.
    public init(title: String, checks: [ClaimCheck]) {
        self.title = title
        self.checks = checks
        let adjusted = HolmCorrection.adjust(checks.map(\.pValue))
        rows = zip(zip(checks, ClaimCheck.verdicts(checks)), adjusted).map { pair, holm in
            let (check, verdict) = pair
            return ClaimRow(
                id: check.id, claim: check.claim, source: check.source, prediction: check.prediction, language: check.language,
                value: check.measured?.value, interval: check.measured?.interval, coverage: check.measured?.coverage,
                measured: check.measured?.description ?? "-", line: check.line, above: check.above, p: check.pValue, holmP: holm,
                verdict: verdict)
        }
    }

    /// Rows read back (`ClaimsCSV`).
    public init(title: String, rows: [ClaimRow]) {
        self.title = title
        self.rows = rows
        checks = []
    }

    /// The table on the terminal, claim by claim; `disturbed` marks every
    /// verdict of a run measured on a busy machine.
    public func render(disturbed: Bool = false) -> String {
        var text = "\n\(title)\n"
        var lastClaim = ""
        for row in rows where row.claim != lastClaim {
            lastClaim = row.claim
            text += "  \"\(row.claim)\" (seed \(row.source))\n"
            let lines = rows.filter { $0.claim == row.claim }.map { row -> [String] in
                [row.prediction, row.language, row.measured, row.verdict.rawValue + (disturbed ? VerdictPolicy.disturbedMark : "")]
            }
            text += TextTable(header: ["prediction", "language", "measured [95% CI]", "verdict"], rows: lines, leftAligned: [0, 1, 3], indent: "    ")
                .render() + "\n"
        }
        return text + "  \(Self.familyNote(rows.count))\n"
    }

    /// How the claims were judged, under every claims table.
    public static func familyNote(_ count: Int) -> String {
        "(a claim holds or fails only when its 95% interval lies wholly on one side of its line; p-values \(HolmCorrection.describe(familySize: count)))"
    }
}

/// One check of a claims table, as recorded: what the claim predicts, the
/// measurement with its interval (and the text the table shows for it), and
/// the verdict with the p-values behind it.
public struct ClaimRow: Sendable, Equatable {
    public let id: String
    public let claim: String
    public let source: String
    public let prediction: String
    public let language: String
    public let value: Double?
    public let interval: ClosedRange<Double>?
    public let coverage: Double?
    /// The measurement as the table shows it: `1.42 [1.35, 1.51] (96.9%)`, `2.05 (n=2, no interval)`.
    public let measured: String
    /// The claim predicts the measurement lies above `line` (or below it).
    public let line: Double
    public let above: Bool
    /// The p-value of "the measurement lies on the line", before and after Holm's correction.
    public let p: Double
    public let holmP: Double
    public let verdict: ClaimVerdict

    public init(
        id: String, claim: String, source: String, prediction: String, language: String, value: Double?, interval: ClosedRange<Double>?,
        coverage: Double?, measured: String, line: Double, above: Bool, p: Double, holmP: Double, verdict: ClaimVerdict
    ) {
        self.id = id
        self.claim = claim
        self.source = source
        self.prediction = prediction
        self.language = language
        self.value = value
        self.interval = interval
        self.coverage = coverage
        self.measured = measured
        self.line = line
        self.above = above
        self.p = p
        self.holmP = holmP
        self.verdict = verdict
    }
}
