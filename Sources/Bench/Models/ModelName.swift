/// The concurrency models a cell can use, in the order `bench list` and the
/// default matrix show them.
enum ModelName: String, CaseIterable, Sendable, Codable, Comparable {
    case serial
    case thread
    case processPool = "process-pool"
    case hybrid
    case async
    /// The seed tutorial's own Python program (reference/python), run by the
    /// seed-400 experiment beside the Swift models; not a Swift model.
    case pythonHybrid = "python-hybrid"

    var summary: String {
        switch self {
        case .serial: "one thread, tasks in order (the baseline of every speedup)"
        case .thread: "--workers OS threads pulling tasks from one shared queue"
        case .processPool: "--workers worker processes (bench re-executed), tasks sent over pipes in chunks"
        case .hybrid: "--processes processes x --workers threads each"
        case .async: "Swift TaskGroup keeping at most --workers tasks in flight"
        case .pythonHybrid: "the seed tutorial's Python program: a Pool of P processes x T threads (experiment seed-400)"
        }
    }

    /// The models `--model` accepts: the Swift models, not the Python reference.
    static var selectable: [ModelName] {
        allCases.filter { $0 != .pythonHybrid }
    }

    private var rank: Int { Self.allCases.firstIndex(of: self)! }

    static func < (lhs: ModelName, rhs: ModelName) -> Bool {
        lhs.rank < rhs.rank
    }
}
