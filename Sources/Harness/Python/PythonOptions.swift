import Platform

/// How the Python models find and run their interpreter (`--python`,
/// `--python-start-method`). `--python` may list several interpreters
/// (`--python python3.11,python3.13`): they are then an axis of the matrix,
/// every python-* cell once per interpreter, each with its own python-serial baseline.
public struct PythonOptions: Sendable {
    /// The interpreters given with `--python`, as given; empty: `python3` on PATH.
    public var interpreters: [String]
    /// multiprocessing's start method for the Python pool models; nil: the interpreter's own default.
    public var startMethod: String?

    public init(interpreter: String? = nil, startMethod: String? = nil) {
        interpreters = interpreter.map { [$0] } ?? []
        self.startMethod = startMethod
    }

    /// The interpreter of a single-interpreter invocation (the first given); nil: `python3` on PATH.
    public var interpreter: String? {
        get { interpreters.first }
        set { interpreters = newValue.map { [$0] } ?? [] }
    }

    /// Whether the interpreters are an axis of the matrix: more than one was given.
    public var isAxis: Bool { interpreters.count > 1 }

    /// Each interpreter's name on the axis, in the order given: what cells,
    /// tables and the CSV `interpreter` column call it. Its file name
    /// (`/opt/py/bin/python3.13t` -> `python3.13t`), or what was given where
    /// two share a file name.
    public var axisNames: [String] {
        let short = interpreters.map { given in given.split(separator: "/").last.map(String.init) ?? given }
        return zip(interpreters, short).map { given, name in short.filter { $0 == name }.count > 1 ? given : name }
    }

    /// The interpreter as given for the axis name `name`; nil for nil (the
    /// first given, or python3 on PATH) and for a name not on the axis.
    public func interpreter(named name: String?) -> String? {
        guard let name else { return interpreter }
        return zip(axisNames, interpreters).first { $0.0 == name }?.1
    }

    /// `--python LIST`: the interpreters, duplicates dropped; an empty item is a usage error.
    public static func parseList(_ text: String) throws(BenchError) -> [String] {
        var interpreters: [String] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard !item.isEmpty else {
                throw BenchError.usage("--python '\(text)' has an empty item", fix: "give interpreters separated by commas, e.g. --python python3.11,python3.13")
            }
            if !interpreters.contains(item) { interpreters.append(item) }
        }
        return interpreters
    }
}
