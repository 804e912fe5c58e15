import Foundation
import Workloads

/// What a worker needs to rebuild the parent's workload and run its share:
/// the first message on its input pipe, sent as JSON (once per worker, so
/// clarity beats compactness here).
struct WorkerSetup: Codable, Equatable, Sendable {
    var workload: String
    var parameters: WorkloadParameters
    /// Threads in the worker's team: 1 for process-pool, T for hybrid.
    var threads: Int

    func json() throws -> [UInt8] {
        Array(try JSONEncoder().encode(self))
    }

    static func from(json payload: UnsafeRawBufferPointer) throws -> WorkerSetup {
        let setup: WorkerSetup
        do {
            setup = try JSONDecoder().decode(WorkerSetup.self, from: Data(payload))
        } catch {
            throw ProtocolError("setup message is not valid: \(error)")
        }
        guard setup.threads >= 1 else {
            throw ProtocolError("setup message asks for \(setup.threads) threads")
        }
        return setup
    }
}
