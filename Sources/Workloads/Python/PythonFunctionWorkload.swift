/// A task that calls the user's own Python function: `--callable
/// pkg.module:func` is imported from `--python-path` by the python-*
/// models' driver, and `func(task_index)` is called once per task
/// (python/bench/workloads/python_function.py runs it). It answers the
/// Python programmer's question, "for *my* code, do threads, processes or
/// asyncio win", where the answer depends on where that code releases the GIL.
///
/// It runs only under the python-* models: Swift has no way to call the
/// function, so Swift models refuse it (`runsOnlyInPython`), and its
/// reference checksum is one unmeasured python-serial run of the cell's
/// tasks before the first sample (which also catches, before anything is
/// measured, a module that does not import or a result that cannot be
/// pickled). A task's result is the digest of its pickled return value
/// (python/README.md, "Checksums").
public struct PythonFunctionWorkload: Workload {
    /// `pkg.module:func`, as given.
    public let callable: String
    /// The folder put first on the driver's sys.path; "" adds none.
    public let pythonPath: String

    public init(callable: String, pythonPath: String) throws {
        guard !callable.isEmpty else {
            throw WorkloadError("python-function needs --callable", fix: Self.usageHint, exitCode: .usage)
        }
        let parts = callable.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw WorkloadError("--callable \(callable) has no colon", fix: Self.usageHint, exitCode: .usage)
        }
        guard Self.isDottedName(parts[0]), Self.isDottedName(parts[1]) else {
            throw WorkloadError(
                "--callable \(callable) is not module:function", fix: "write dotted Python names on both sides of the colon, e.g. pkg.module:func",
                exitCode: .usage)
        }
        self.callable = callable
        self.pythonPath = pythonPath
    }

    static let usageHint = "write it as module:function, e.g. --callable pkg.module:func (with --python-path DIR holding pkg)"

    /// Dotted identifiers, ASCII ones checked here (Python itself judges the rest when it imports).
    static func isDottedName(_ text: Substring) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { word in
            guard let first = word.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
            return word.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || $0.properties.numericType == .decimal }
        }
    }

    public var name: String { "python-function" }
    public var kind: WorkloadKind { .cpu }
    public var work: WorkSize { .none }

    /// Never called: no Swift model runs it (`ConcurrencyModel.unsupported`).
    public func run(task: Int) throws -> UInt64 {
        throw WorkloadError("python-function runs only under the python-* models", fix: "choose python-serial, python-thread, ...")
    }

    public static let declaration = WorkloadDeclaration(
        name: "python-function", kind: .cpu,
        summary: "calls your Python function func(task_index) per task (--callable pkg.module:func); python-* models only",
        parameters: [
            .text("callable", example: "pkg.module:func",
                  help: "python-function: the function each task calls with its task index, as module:function; an async def is awaited"),
            .text("python-path", default: ".", example: "Examples/python",
                  help: "python-function: the folder put first on sys.path before importing --callable's module"),
        ],
        defaultTasks: 64, quickTasks: 16, inDefaultMatrix: false, runsOnlyInPython: true
    ) { values in
        try PythonFunctionWorkload(callable: values.text("callable"), pythonPath: values.text("python-path"))
    }
}
