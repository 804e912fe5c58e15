/// What `bench list` shows of a workload and how to make one.
public struct WorkloadDescriptor: Sendable {
    public let name: String
    public let kind: WorkloadKind
    public let summary: String
    /// The `--flags` that change this workload.
    public let parameterFlags: [String]
    /// Tasks per cell when `--tasks` is not given.
    public let defaultTasks: Int
    /// Tasks per cell under `--quick`.
    public let quickTasks: Int
    /// For a workload that prints one line per task to standard output: how
    /// to read the task back from a line, so the harness can check that every
    /// task's line arrived exactly once. Nil for workloads that print nothing.
    public let printedTask: (@Sendable (Substring) -> Int?)?
    public let make: @Sendable (WorkloadParameters) throws -> any Workload

    public init(
        name: String, kind: WorkloadKind, summary: String, parameterFlags: [String],
        defaultTasks: Int, quickTasks: Int, printedTask: (@Sendable (Substring) -> Int?)? = nil,
        make: @escaping @Sendable (WorkloadParameters) throws -> any Workload
    ) {
        self.name = name
        self.kind = kind
        self.summary = summary
        self.parameterFlags = parameterFlags
        self.defaultTasks = defaultTasks
        self.quickTasks = quickTasks
        self.printedTask = printedTask
        self.make = make
    }
}

/// Why a workload could not be made from its parameters.
public struct WorkloadError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Name -> workload. The order here is the order of `bench list` and of the
/// default matrix.
public enum WorkloadRegistry {
    public static let all: [WorkloadDescriptor] = [
        XorWorkload.descriptor,
        SleepWorkload.descriptor,
        NoopWorkload.descriptor,
        PrintWorkload.descriptor,
        HTTPWorkload.descriptor,
    ]

    public static var names: [String] {
        all.map(\.name)
    }

    public static func descriptor(named name: String) -> WorkloadDescriptor? {
        all.first { $0.name == name }
    }

    /// Makes the named workload; throws `WorkloadError` for an unknown name
    /// or parameters it cannot use.
    public static func make(_ name: String, parameters: WorkloadParameters) throws -> any Workload {
        guard let descriptor = descriptor(named: name) else {
            throw WorkloadError("unknown workload '\(name)'")
        }
        return try descriptor.make(parameters)
    }
}
