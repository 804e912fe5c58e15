import Foundation

/// Everything an invocation concluded, as every exporter reads it: the
/// cells' summaries, verdicts and fits, an experiment's claims table, and
/// meta.json. Built from samples (at the end of a run, or by `bench report`
/// from the run folder), never by measuring.
public struct ExportDocument: Sendable {
    /// The run folder's name, e.g. `20261128T043053Z-reference`.
    public let runID: String
    public let report: InvocationReport
    /// The experiment's claims table, when the invocation was an experiment with claims.
    public let claims: ClaimsReport?
    /// meta.json as written, when there is one.
    public let meta: JSONValue?
    /// The run folder's path, when the document was made from one: where the
    /// HTML page finds the charts to inline and the files to link.
    public let folder: String?

    public init(runID: String, report: InvocationReport, claims: ClaimsReport? = nil, meta: JSONValue? = nil, folder: String? = nil) {
        self.runID = runID
        self.report = report
        self.claims = claims
        self.meta = meta
        self.folder = folder
    }

    /// The run was measured on a busy machine: every verdict says so.
    public var disturbed: Bool { report.policy.disturbed }

    /// The same document with only `workload`'s cells (every parameter set and
    /// task count of it): a README's table of one workload. The claims, which
    /// speak of the whole experiment, stay.
    public func only(workload: String) -> ExportDocument {
        ExportDocument(runID: runID, report: report.only(workload: workload), claims: claims, meta: meta, folder: folder)
    }

    /// One line about where and how the run was measured, from meta.json:
    /// `run 2026…-reference (complete): host vm, 2 cores (AMD EPYC 7B13), release build, Swift 6.3.1, git 1a2b3c4; machine quiet`.
    public var metaLine: String? {
        guard let meta else { return nil }
        func text(_ value: JSONValue?) -> String? {
            switch value {
            case let .string(text)?: text
            case let .integer(number)?: String(number)
            case let .number(number)?: String(number)
            default: nil
            }
        }
        var parts: [String] = []
        if let host = text(meta["host"]?["host_name"]) {
            var machine = "host \(host)"
            if let cores = text(meta["host"]?["logical_cores"]) { machine += ", \(cores) cores" }
            if let model = text(meta["host"]?["cpu_model"]) { machine += " (\(model))" }
            parts.append(machine)
        }
        if let build = text(meta["build_configuration"]) { parts.append("\(build) build") }
        if let swift = text(meta["swift_version"]) { parts.append("Swift \(swift)") }
        if let commit = text(meta["git_commit"]) { parts.append("git \(commit.prefix(12))") }
        var line = "run \(runID)" + (text(meta["status"]).map { " (\($0))" } ?? "") + ": " + parts.joined(separator: ", ")
        switch meta["disturbed"] {
        case .bool(true)?:
            let reasons: [String] = if case let .array(values)? = meta["disturbed_because"] { values.compactMap(text) } else { [] }
            line += "; disturbed" + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; "))
        case .bool(false)?:
            line += "; machine quiet"
        default:
            break
        }
        return line
    }
}
