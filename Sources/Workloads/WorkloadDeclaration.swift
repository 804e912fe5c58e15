import Platform

/// Everything bench knows about a workload before making one: its name and
/// kind, its parameters, its task counts, what it needs around its samples,
/// and how to make it. One per workload, in the workload's own file.
public struct WorkloadDeclaration: Sendable {
    public let name: String
    public let kind: WorkloadKind
    public let summary: String
    public let parameters: [ParameterDeclaration]
    /// Tasks per cell when `--tasks` is not given.
    public let defaultTasks: Int
    /// Tasks per cell under `--quick`.
    public let quickTasks: Int
    /// A flag of this workload's own that sets its task count and wins over
    /// `--tasks` (print's `--items`: lines, as the tutorial counts them).
    public let tasksFlag: String?
    /// What the runner starts around this workload's samples (a server, a sink), if anything.
    public let fixture: FixtureDeclaration?
    /// Whether python/bench/workloads/ implements it, so Python models can run it.
    public let hasPythonVersion: Bool
    /// Whether timing each task is cheap beside the task (two clock reads
    /// under 1% of it): false for `noop`, whose tasks are nanoseconds.
    public let timesTasks: Bool
    /// Whether `bench run` without `--workload` runs it (not `exec`, which
    /// needs a command, nor `profile`, which is for asking about one's own work).
    public let inDefaultMatrix: Bool
    /// Whether only the python-* models can run it (`python-function`: the
    /// user's Python code): Swift models refuse it, and its reference
    /// checksum comes from a python-serial run rather than from Swift.
    public let runsOnlyInPython: Bool
    /// Bytes one running task holds, from its parameters, when it holds
    /// enough to matter: the plan checks that the tasks in flight fit in RAM.
    public let memoryPerTask: (@Sendable (ParameterValues) -> Int)?
    /// Bytes every process that makes the workload builds once, before any
    /// task (profile's `--shared-mib`): the plan checks that its copies fit too.
    public let memoryPerProcess: (@Sendable (ParameterValues) -> Int)?
    private let build: @Sendable (ParameterValues) throws -> any Workload

    public init(
        name: String, kind: WorkloadKind, summary: String, parameters: [ParameterDeclaration] = [],
        defaultTasks: Int, quickTasks: Int, tasksFlag: String? = nil, fixture: FixtureDeclaration? = nil,
        hasPythonVersion: Bool = true, timesTasks: Bool = true, inDefaultMatrix: Bool = true, runsOnlyInPython: Bool = false,
        memoryPerTask: (@Sendable (ParameterValues) -> Int)? = nil,
        memoryPerProcess: (@Sendable (ParameterValues) -> Int)? = nil,
        make: @escaping @Sendable (ParameterValues) throws -> any Workload
    ) {
        precondition(Set(parameters.map(\.name)).count == parameters.count, "\(name) declares a parameter twice")
        self.name = name
        self.kind = kind
        self.summary = summary
        self.parameters = parameters
        self.defaultTasks = defaultTasks
        self.quickTasks = quickTasks
        self.tasksFlag = tasksFlag
        self.fixture = fixture
        self.hasPythonVersion = hasPythonVersion
        self.timesTasks = timesTasks
        self.inDefaultMatrix = inDefaultMatrix
        self.runsOnlyInPython = runsOnlyInPython
        self.memoryPerTask = memoryPerTask
        self.memoryPerProcess = memoryPerProcess
        build = make
    }

    /// The same declaration with `hasPythonVersion` off: what a workload
    /// declared outside this package is, whatever it says (the Python driver
    /// implements bench's own workloads only).
    func withoutPythonVersion() -> WorkloadDeclaration {
        WorkloadDeclaration(
            name: name, kind: kind, summary: summary, parameters: parameters, defaultTasks: defaultTasks,
            quickTasks: quickTasks, tasksFlag: tasksFlag, fixture: fixture, hasPythonVersion: false, timesTasks: timesTasks,
            inDefaultMatrix: inDefaultMatrix, runsOnlyInPython: runsOnlyInPython, memoryPerTask: memoryPerTask, memoryPerProcess: memoryPerProcess, make: build)
    }

    public func parameter(named name: String) -> ParameterDeclaration? {
        parameters.first { $0.name == name }
    }

    /// Every declared parameter at its default (or `--quick`) value.
    public func defaults(quick: Bool = false) -> ParameterValues {
        ParameterValues(Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.value(quick: quick)) }))
    }

    /// Makes the workload. `values` must hold this workload's parameters and
    /// no others; a missing one takes its default, an unknown one is an error.
    public func make(_ values: ParameterValues) throws -> any Workload {
        try build(complete(values))
    }

    /// `values` with every missing parameter at its default; throws for a
    /// parameter this workload does not declare.
    public func complete(_ values: ParameterValues) throws(BenchError) -> ParameterValues {
        var all = defaults()
        for name in values.names {
            guard parameter(named: name) != nil else {
                throw BenchError.usage("\(self.name) has no parameter --\(name)", fix: "see bench list for its parameters")
            }
            all[name] = values[name]
        }
        return all
    }

    /// Parses the `params` form (`ParameterValues.description`) back,
    /// giving each value the kind its declaration says: how a worker
    /// process rebuilds its parent's workload.
    public func values(parsing text: String) throws(BenchError) -> ParameterValues {
        var values = ParameterValues()
        for (name, value) in try ParameterValues.pairs(text) {
            guard let declaration = parameter(named: name) else {
                throw BenchError.usage("\(self.name) has no parameter --\(name)", fix: "see bench list for its parameters")
            }
            values[name] = try declaration.parse(value)
        }
        return try complete(values)
    }
}

/// Why a workload could not be made from its parameters, or a task failed.
public struct WorkloadError: ReportableError {
    public let what: String
    public let fix: String
    public let exitCode: ExitCode

    public init(_ what: String, fix: String = "see bench list for valid parameters", exitCode: ExitCode = .runFailed) {
        self.what = what
        self.fix = fix
        self.exitCode = exitCode
    }
}
