import Workloads

/// Everything a model needs to execute one sample of a cell.
struct Job: Sendable {
    /// The workload, already made, for models that run it in this process.
    let workload: any Workload
    /// Name and parameters, for models that rebuild the workload elsewhere (worker processes).
    let workloadName: String
    let parameters: WorkloadParameters
    let tasks: Int
    let shape: Shape
    let pool: PoolOptions
    /// Seconds after which the model should give up on this sample.
    let timeoutSeconds: Double
}
