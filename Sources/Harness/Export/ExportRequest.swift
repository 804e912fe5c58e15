/// One `--export-<format> FILE` of a command line: the format and where it
/// goes, its target checked when the command line is read, before anything
/// is measured (`ExportTarget.check`), and written at the end.
public struct ExportRequest: Sendable {
    public let exporter: any Exporter
    public let target: ExportTarget

    public init(exporter: any Exporter, target: ExportTarget) {
        self.exporter = exporter
        self.target = target
    }

    /// `--export-markdown`.
    public var flag: String { Exporters.flag(of: exporter) }

    /// Every `--export-<format>` in `arguments`, in the table's order.
    public static func requests(_ arguments: Arguments) throws -> [ExportRequest] {
        try Exporters.all.compactMap { exporter in
            let flag = Exporters.flag(of: exporter)
            return try arguments.string(flag).map { ExportRequest(exporter: exporter, target: try ExportTarget.check($0, flag: flag)) }
        }
    }

    /// Renders `document` and writes it whole; a failure names the flag (exit 1).
    public func write(_ document: ExportDocument) throws {
        try target.write(try exporter.render(document), flag: flag)
    }
}
