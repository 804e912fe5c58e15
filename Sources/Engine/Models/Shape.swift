/// How many processes and threads (or tasks in flight) a cell uses.
///
/// `threads` is threads per process; it is nil for the async models, whose
/// tasks are not threads: their width is the in-flight limit, per process.
public struct Shape: Sendable, Hashable, CustomStringConvertible {
    public var processes: Int
    public var threads: Int?
    /// Everything that runs at once: processes x threads, or the in-flight limit in all.
    public var concurrency: Int

    public static let serial = Shape(processes: 1, threads: 1, concurrency: 1)

    public static func threads(_ count: Int) -> Shape {
        Shape(processes: 1, threads: count, concurrency: count)
    }

    public static func processes(_ processes: Int, threadsEach threads: Int) -> Shape {
        Shape(processes: processes, threads: threads, concurrency: processes * threads)
    }

    public static func inFlight(_ limit: Int) -> Shape {
        Shape(processes: 1, threads: nil, concurrency: limit)
    }

    public static func processes(_ processes: Int, inFlightEach limit: Int) -> Shape {
        Shape(processes: processes, threads: nil, concurrency: processes * limit)
    }

    /// The CSV `workers` column: processes x threads, or the in-flight limit.
    public var workers: Int { concurrency }

    /// Tasks in flight in each process (the async forms), or threads per process.
    public var widthPerProcess: Int { threads ?? max(1, concurrency / max(processes, 1)) }

    public var description: String {
        if let threads { return "\(processes)x\(threads)" }
        if processes == 1 { return "\(concurrency) in flight" }
        return "\(processes)x\(widthPerProcess) in flight"
    }
}
