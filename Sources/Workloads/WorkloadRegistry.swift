import Platform

/// Name -> workload declaration. The order here is the order of `bench list`
/// and of the default matrix. Adding a workload = its file + one line here.
public enum WorkloadRegistry {
    public static let all: [WorkloadDeclaration] = [
        XorWorkload.declaration,
        SleepWorkload.declaration,
        NoopWorkload.declaration,
        PrintWorkload.declaration,
        HTTPWorkload.declaration,
        CrawlWorkload.declaration,
    ]

    public static var names: [String] {
        all.map(\.name)
    }

    /// The workloads a plain `bench` runs (the crawl, 200 MB a sample, only when asked).
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
