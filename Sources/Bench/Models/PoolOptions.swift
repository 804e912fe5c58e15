/// Pool tuning for the models that send tasks to worker processes.
struct PoolOptions: Sendable, Hashable, Codable {
    /// Tasks per message; nil means Python Pool's default, ceil(tasks / (4 x processes)).
    var chunkSize: Int?
    var dispatch: Dispatch = .static

    /// How hybrid hands tasks to its processes.
    enum Dispatch: String, Sendable, Hashable, Codable, CaseIterable {
        /// One contiguous block per process, as the classic program does.
        case `static`
        /// Processes fed chunks from the parent's queue as they ask.
        case dynamic
    }

    init(chunkSize: Int? = nil, dispatch: Dispatch = .static) {
        self.chunkSize = chunkSize
        self.dispatch = dispatch
    }
}
