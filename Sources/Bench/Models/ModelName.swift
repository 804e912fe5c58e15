/// The concurrency models a cell can use, in the order `bench list` and the
/// default matrix show them.
enum ModelName: String, CaseIterable, Sendable, Codable, Comparable {
    case serial
    case thread
    case processPool = "process-pool"
    case hybrid
    case async

    var summary: String {
        switch self {
        case .serial: "one thread, tasks in order (the baseline of every speedup)"
        case .thread: "--workers OS threads pulling tasks from one shared queue"
        case .processPool: "--workers worker processes (bench re-executed), tasks sent over pipes in chunks"
        case .hybrid: "--processes processes x --workers threads each"
        case .async: "Swift TaskGroup keeping at most --workers tasks in flight"
        }
    }

    private var rank: Int { Self.allCases.firstIndex(of: self)! }

    static func < (lhs: ModelName, rhs: ModelName) -> Bool {
        lhs.rank < rhs.rank
    }
}
