/// The names the coordinator and its workers agree on in the broker: one
/// set of keys per sample, under a random sample id, deleted after it, and
/// the few that outlive samples (the registry of remote workers and the
/// stream that announces samples to them).
///
/// Per sample `<id>`:
///
///     bench:<id>:setup    hash    what to run (`SampleSetup`)
///     bench:<id>:slots    counter remote workers take a place with INCR
///     bench:<id>:joined   stream  one entry per worker that is ready: w, host, pid
///     bench:<id>:tasks    stream  one entry per chunk (c), then one `stop` per worker;
///                                 read through the consumer group `workers`
///     bench:<id>:results  stream  one entry per chunk done (`ChunkResult`)
///     bench:<id>:final    stream  each worker's last report (`WorkerFinal`)
///     bench:<id>:master   string  the coordinator's heartbeat: while it exists the
///                                 sample goes on (a worker whose master is gone leaves it)
public struct BrokerKeys: Sendable, Hashable {
    public static let prefix = "bench"
    /// Where remote workers register: worker id -> "host pid".
    public static let registry = "bench:workers"
    /// Where remote workers learn of samples (`sample` <id>) and of the end (`bye`).
    public static let announcements = "bench:samples"
    /// The consumer group of every task stream.
    public static let group = "workers"

    /// A worker's heartbeat key, which expires when the worker stops renewing it.
    public static func alive(_ worker: String) -> String { "\(prefix):alive:\(worker)" }

    public let sample: String

    public init(sample: String) {
        self.sample = sample
    }

    public var setup: String { key("setup") }
    public var slots: String { key("slots") }
    public var joined: String { key("joined") }
    public var tasks: String { key("tasks") }
    public var results: String { key("results") }
    public var final: String { key("final") }
    public var master: String { key("master") }

    /// Every key of the sample, for the DEL that ends it.
    public var all: [String] { [setup, slots, joined, tasks, results, final, master] }

    /// The master's heartbeat lives this long after it was last renewed (each second).
    public static let masterTTLMilliseconds = 5_000

    private func key(_ name: String) -> String { "\(Self.prefix):\(sample):\(name)" }
}

/// What a sample runs, as the coordinator writes it to `bench:<id>:setup`
/// and each worker reads it: the workload in its `params` form (so a worker
/// rebuilds it with the same declarations as every other model), the tasks
/// and their chunks, and how long a taken chunk may stay silent before
/// another worker takes it over.
public struct SampleSetup: Sendable, Equatable {
    public var workload: String
    public var parameters: String
    public var tasks: Int
    public var chunkSize: Int
    /// Workers the sample wants; remote workers beyond it sit the sample out.
    public var slots: Int
    /// A chunk whose worker has not been heard of for this long is delivered
    /// again (XAUTOCLAIM's min-idle-time); 0: never (a lost chunk fails the sample).
    public var redeliveryMilliseconds: Int

    public init(workload: String, parameters: String, tasks: Int, chunkSize: Int, slots: Int, redeliveryMilliseconds: Int) {
        self.workload = workload
        self.parameters = parameters
        self.tasks = tasks
        self.chunkSize = chunkSize
        self.slots = slots
        self.redeliveryMilliseconds = redeliveryMilliseconds
    }

    public var chunks: Int { (tasks + chunkSize - 1) / chunkSize }

    /// The task indices of chunk `index`.
    public func range(ofChunk index: Int) -> Range<Int> {
        (index * chunkSize)..<min((index + 1) * chunkSize, tasks)
    }

    /// Field-value pairs for HSET.
    public var fields: [String] {
        [
            "workload", workload, "params", parameters, "tasks", String(tasks), "chunk", String(chunkSize),
            "slots", String(slots), "redelivery_ms", String(redeliveryMilliseconds),
        ]
    }

    /// From an HGETALL reply; nil when the sample is gone or the hash is not a setup.
    public init?(fields: [String: String]) {
        guard let workload = fields["workload"], let parameters = fields["params"],
              let tasks = fields["tasks"].flatMap(Int.init), tasks >= 1,
              let chunk = fields["chunk"].flatMap(Int.init), chunk >= 1,
              let slots = fields["slots"].flatMap(Int.init), slots >= 1,
              let redelivery = fields["redelivery_ms"].flatMap(Int.init), redelivery >= 0 else { return nil }
        self.init(workload: workload, parameters: parameters, tasks: tasks, chunkSize: chunk, slots: slots, redeliveryMilliseconds: redelivery)
    }
}
