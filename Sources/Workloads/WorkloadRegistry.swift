import Platform
import Synchronization

/// Name -> workload declaration. The order here is the order of `bench list`
/// and of the default matrix. Adding a workload = its file + one line here.
public enum WorkloadRegistry {
    /// bench's own workloads.
    public static let builtIn: [WorkloadDeclaration] = [
        XorWorkload.declaration,
        SleepWorkload.declaration,
        NoopWorkload.declaration,
        PrintWorkload.declaration,
        HTTPWorkload.declaration,
        ProfileWorkload.declaration,
        ExecWorkload.declaration,
        CrawlWorkload.declaration,
        PythonFunctionWorkload.declaration,
    ]

    /// Workloads a program built on bench declared (`register`), after bench's own.
    private static let custom = Mutex<[WorkloadDeclaration]>([])

    public static var all: [WorkloadDeclaration] {
        builtIn + custom.withLock { $0 }
    }

    /// Adds workloads declared outside bench (a package depending on it), so
    /// that every command and model, worker processes included, can run them.
    /// Call it first thing, in the parent and in its workers alike. Their
    /// names must be new, and they have no Python version.
    public static func register(_ declarations: [WorkloadDeclaration]) throws {
        try custom.withLock { registered in
            var names = Set((builtIn + registered).map(\.name))
            for declaration in declarations where !names.insert(declaration.name).inserted {
                throw WorkloadError(
                    "a workload named '\(declaration.name)' exists already", fix: "give yours another name", exitCode: .usage)
            }
            // All or none: a refused list leaves the registry as it was.
            registered += declarations.map { $0.withoutPythonVersion() }
        }
    }

    public static var names: [String] {
        all.map(\.name)
    }

    /// The workloads `bench run` runs when no `--workload` is given (not profile or exec, which
    /// ask about one's own work, nor crawl, 200 MB a sample).
    public static var defaultMatrix: [String] {
        all.filter(\.inDefaultMatrix).map(\.name)
    }

    public static func declaration(named name: String) -> WorkloadDeclaration? {
        all.first { $0.name == name }
    }

    /// Every parameter any workload declares, once per flag (workloads may
    /// share one, e.g. a latency), in registry order.
    public static var parameters: [ParameterDeclaration] {
        var seen: Set<String> = []
        return all.flatMap(\.parameters).filter { seen.insert($0.name).inserted }
    }

    /// Makes the named workload from the `params` text; throws for an unknown
    /// name or parameters it cannot use.
    public static func make(_ name: String, parameters text: String) throws -> any Workload {
        guard let declaration = declaration(named: name) else {
            throw WorkloadError("unknown workload '\(name)'", fix: "choose from \(names.joined(separator: ", "))", exitCode: .usage)
        }
        return try declaration.make(declaration.values(parsing: text))
    }
}
