import Workloads

/// How tables and verdicts name a python-* cell: its model, followed by
/// what its driver reported about how it ran (python/README.md, "The
/// report"), so that a reader never takes one configuration for another.
///
/// - `python-thread (no GIL)`: every sample reported `gil_enabled` false
///   (`sys._is_gil_enabled()` on a free-threaded build; an extension module
///   that re-enables the GIL at import makes it true, and the label goes).
/// - `python-async (to_thread)`: a plain function under an asyncio model,
///   run through `asyncio.to_thread` on the loop's default executor.
public struct PythonCellLabels: Sendable {
    /// A cell as the driver's spec describes it (the model knows no `Cell`).
    struct Key: Hashable {
        let model: String
        let interpreter: String?
        let workload: String
        let parameters: ParameterValues
    }

    /// Per cell, the `gil_enabled` values its samples reported.
    private var gil: [Key: Set<Bool>] = [:]
    private var throughThread: Set<Key> = []

    public init() {}

    /// One sample's report.
    mutating func record(_ report: PythonDriverReport, model: String, interpreter: String?, workload: String, parameters: ParameterValues) {
        let key = Key(model: model, interpreter: interpreter, workload: workload, parameters: parameters)
        if let enabled = report.gilEnabled { gil[key, default: []].insert(enabled) }
        if report.toThread == true { throughThread.insert(key) }
    }

    public static let noGIL = "(no GIL)"
    public static let toThread = "(to_thread)"

    /// The cell's model with its marks, e.g. `python-thread (no GIL)`.
    public func label(_ cell: Cell) -> String {
        ([cell.model] + marks(cell)).joined(separator: " ")
    }

    func marks(_ cell: Cell) -> [String] {
        let key = Key(model: cell.model, interpreter: cell.interpreter, workload: cell.workload, parameters: cell.parameters)
        var marks: [String] = []
        if gil[key] == [false] { marks.append(Self.noGIL) }
        if throughThread.contains(key) { marks.append(Self.toThread) }
        return marks
    }

    /// Whether the interpreter named `interpreter` (nil: the one of a
    /// single-interpreter run) ran every sample reported without the GIL;
    /// nil when none reported.
    public func runsWithoutGIL(interpreter: String?) -> Bool? {
        let reported = reportedGIL(interpreter: interpreter)
        return reported.isEmpty ? nil : reported == [false]
    }

    /// The `gil_enabled` values the samples on `interpreter` reported, false first.
    public func reportedGIL(interpreter: String?) -> [Bool] {
        let reported = gil.filter { $0.key.interpreter == interpreter }.values.reduce(into: Set<Bool>()) { $0.formUnion($1) }
        return reported.sorted { !$0 && $1 }
    }

    /// One line per mark that `cells` carry, saying what it means: the table's footnotes.
    public func footnotes(_ cells: [Cell]) -> [String] {
        let used = Set(cells.flatMap(marks))
        var notes: [String] = []
        if used.contains(Self.noGIL) {
            notes.append("\(Self.noGIL): the interpreter ran without the GIL (free-threaded build; sys._is_gil_enabled() false)")
        }
        if used.contains(Self.toThread) {
            notes.append("\(Self.toThread): a plain function under asyncio runs through asyncio.to_thread, on the loop's default executor (at most min(32, cores + 4) threads)")
        }
        return notes
    }
}
