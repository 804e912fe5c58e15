import Engine
import Harness

/// A model run with a fixed `--chunksize` under a name of its own (e.g.
/// `distributed-chunk1`), so that one experiment can measure the same model
/// at two chunk sizes: a cell's identity has no chunk size, its model name does.
struct ChunkedModel: ConcurrencyModel {
    let inner: any ConcurrencyModel
    let chunkSize: Int

    var name: String { Self.name(of: inner.name, chunkSize: chunkSize) }

    /// `distributed-chunk1`.
    static func name(of model: String, chunkSize: Int) -> String {
        "\(model)-chunk\(chunkSize)"
    }
    var summary: String { "\(inner.name) with --chunksize \(chunkSize)" }
    var baseline: String { inner.baseline }
    var usesWorkerProcesses: Bool { inner.usesWorkerProcesses }

    func shapes(workers: [Int], processes: [Int]) -> [Shape] {
        inner.shapes(workers: workers, processes: processes)
    }

    func execute(_ job: Job) throws -> Execution {
        var chunked = job
        chunked.pool.chunkSize = chunkSize
        return try inner.execute(chunked)
    }
}
