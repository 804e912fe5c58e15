/// One export format: `--export-<format> FILE` renders what an invocation
/// concluded (`ExportDocument`) in it, from samples alone, never measuring.
///
/// A new format is a type conforming to this in its own file, plus its line
/// in `Exporters.all`: the flag, its help, the check of its target before
/// anything is measured and the write after are the same for every format.
public protocol Exporter: Sendable {
    /// The word after `--export-`, e.g. `markdown`.
    var format: String { get }
    /// What the flag writes, for `--help`.
    var help: String { get }
    /// The document in this format.
    func render(_ document: ExportDocument) throws -> [UInt8]
}

/// The table of export formats: each gives one `--export-<format>` flag.
public enum Exporters {
    /// Every format, in the order `--help` lists their flags.
    public static let all: [any Exporter] = [
        TerminalExport(),
        CSVExport(),
        MarkdownExport(),
        JSONExport(),
        HTMLExport(),
    ]

    /// The `--export-<format>` flags of every format.
    public static var options: [OptionSpec] {
        all.map { OptionSpec(flag(of: $0), value: "FILE", help: $0.help + " (- for standard output; the tables then go to standard error)") }
    }

    static func flag(of exporter: any Exporter) -> String {
        "--export-" + exporter.format
    }
}
