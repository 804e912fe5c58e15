/// Pool tuning for the models that send tasks to worker processes.
public struct PoolOptions: Sendable, Hashable {
    /// Tasks per message; nil means Python Pool's default, ceil(tasks / (4 x processes)).
    public var chunkSize: Int?
    public var dispatch: Dispatch
    public var startMethod: StartMethod

    /// How the pools hand tasks to their processes.
    public enum Dispatch: String, Sendable, Hashable, CaseIterable {
        /// hybrid: one contiguous block per process, as the classic program does
        /// (process-pool, whose tasks always come from the queue, sends chunks).
        case `static`
        /// hybrid: processes fed chunks from the parent's queue as they ask.
        case dynamic
        /// process-pool and hybrid: one task in flight in the whole pool, the
        /// next sent only when its result is in, as `Pool.apply` in a loop.
        case lockstep
    }

    public init(chunkSize: Int? = nil, dispatch: Dispatch = .static, startMethod: StartMethod = .default) {
        self.chunkSize = chunkSize
        self.dispatch = dispatch
        self.startMethod = startMethod
    }
}

/// How a pool's worker processes come to exist, after Python's
/// `multiprocessing` start methods.
public enum StartMethod: String, Sendable, Hashable, CaseIterable {
    /// posix_spawn of `bench-worker` per worker: a fresh program each time.
    case spawn
    /// One single-threaded `bench-worker` server, started once per invocation
    /// (outside every sample), forks each worker: no exec, no program load.
    case forkserver

    /// The faster of the two on the machine this was measured on (see
    /// `bench calibrate`: a forkserver fork vs a bench-worker spawn).
    public static let `default` = StartMethod.forkserver
}
