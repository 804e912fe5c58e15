/// Every workload's tunable parameters, in one value so that a run can record
/// them and a worker process can rebuild the same workload from them.
public struct WorkloadParameters: Sendable, Hashable, Codable {
    /// `xor`: loop iterations per task.
    public var iterations: Int = 2_000_000
    /// `sleep`: milliseconds each task sleeps.
    public var sleepMilliseconds: Int = 10
    /// `http`: milliseconds the server waits before answering.
    public var httpLatencyMilliseconds: Int = 10
    /// `http`: response body size in bytes.
    public var httpBytes: Int = 1024
    /// `http`: reuse one connection per worker instead of one per request.
    public var keepAlive: Bool = false
    /// `http`: which client the async model uses (`native` or `urlsession`).
    public var httpClient: String = "native"
    /// `http`: the server to fetch from; nil until the runner starts its own.
    public var httpURL: String?
    /// `print`: where printed lines go (`pipe`, `file`, `devnull`, `tty`).
    public var sink: String = "pipe"
    /// `print`: flush after every line, as on a terminal, whatever the sink.
    public var lineBuffered = false

    public init() {}
}
