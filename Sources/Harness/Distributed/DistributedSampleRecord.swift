import Broker
import Engine
import Foundation

/// What one sample of the distributed model saw besides its timings: which
/// workers ran it, on which hosts, and what the broker redelivered. The
/// runtime keeps one per sample (warmups included) for meta.json and the
/// distributed experiment's report.
public struct DistributedSampleRecord: Sendable {
    /// One worker of the sample, as it joined.
    public struct Worker: Sendable, Equatable {
        public let host: String
        public let pid: Int
        /// Chunks it reported done (from its final report; nil when it died first).
        public var chunks: Int?
    }

    /// The model's name (an experiment's variant has its own).
    public let model: String
    public let workload: String
    public let parameters: String
    public let tasks: Int
    public let chunkSize: Int
    public let workers: [Worker]
    /// Chunk results that came from a redelivered chunk (a worker's
    /// XAUTOCLAIM of a chunk another worker had taken and gone silent on).
    public let redeliveredChunks: Int
    /// Results of a chunk already counted: dropped, never summed twice.
    public let duplicatesDropped: Int
    /// Workers that died during the sample, `host:pid`.
    public let lostWorkers: [String]
    public let wallSeconds: Double

    var json: JSONValue {
        .object([
            "model": .string(model), "workload": .string(workload), "params": .string(parameters), "tasks": .integer(tasks),
            "chunksize": .integer(chunkSize),
            "workers": .array(workers.map { worker in
                .object(["host": .string(worker.host), "pid": .integer(worker.pid), "chunks": worker.chunks.map { .integer($0) } ?? .null])
            }),
            "redelivered_chunks": .integer(redeliveredChunks), "duplicate_results_dropped": .integer(duplicatesDropped),
            "lost_workers": .array(lostWorkers.map { .string($0) }), "wall_s": .number(wallSeconds),
        ])
    }
}
