import Workloads

/// Everything a model needs to execute one sample of a cell.
public struct Job: Sendable {
    /// The workload, already made, for models that run it in this process.
    public let workload: any Workload
    /// Name and parameters (as the fixture resolved them), for models that
    /// rebuild the workload elsewhere: worker processes, the Python driver.
    public let workloadName: String
    public let parameters: ParameterValues
    public let tasks: Int
    public let shape: Shape
    /// Variable so that a wrapping model can change one option and keep every other field.
    public var pool: PoolOptions
    /// Seconds after which the model should give up on this sample.
    public let timeoutSeconds: Double
    /// Time each task (its own duration and its queueing delay): off where
    /// two clock reads would cost more than 1% of a task (noop, print).
    public let timesTasks: Bool

    public init(
        workload: any Workload, workloadName: String, parameters: ParameterValues, tasks: Int, shape: Shape,
        pool: PoolOptions = PoolOptions(), timeoutSeconds: Double, timesTasks: Bool = false
    ) {
        self.workload = workload
        self.workloadName = workloadName
        self.parameters = parameters
        self.tasks = tasks
        self.shape = shape
        self.pool = pool
        self.timeoutSeconds = timeoutSeconds
        self.timesTasks = timesTasks
    }
}
