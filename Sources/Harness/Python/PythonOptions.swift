/// How the Python models find and run their interpreter (`--python`,
/// `--python-start-method`).
public struct PythonOptions: Sendable {
    /// The interpreter given with `--python`; nil: `python3` on PATH.
    public var interpreter: String?
    /// multiprocessing's start method for the Python pool models; nil: the interpreter's own default.
    public var startMethod: String?

    public init(interpreter: String? = nil, startMethod: String? = nil) {
        self.interpreter = interpreter
        self.startMethod = startMethod
    }
}
