/// How many processes and threads a cell uses.
///
/// `threads` is threads per process; it is nil for `async`, whose tasks are
/// not threads and whose width is `concurrency` (the in-flight limit).
struct Shape: Sendable, Hashable, Codable, CustomStringConvertible {
    var processes: Int
    var threads: Int?
    var concurrency: Int

    static let serial = Shape(processes: 1, threads: 1, concurrency: 1)

    static func threads(_ count: Int) -> Shape {
        Shape(processes: 1, threads: count, concurrency: count)
    }

    static func processes(_ processes: Int, threadsEach threads: Int) -> Shape {
        Shape(processes: processes, threads: threads, concurrency: processes * threads)
    }

    static func inFlight(_ limit: Int) -> Shape {
        Shape(processes: 1, threads: nil, concurrency: limit)
    }

    /// The CSV `workers` column: processes x threads, or the async limit.
    var workers: Int { concurrency }

    var description: String {
        if let threads { return "\(processes)x\(threads)" }
        return "\(concurrency) in flight"
    }
}
