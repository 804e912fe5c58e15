/// Name -> model, and which shapes a `--workers` list gives each model.
enum ModelRegistry {
    /// The models this build can run, in display order.
    static let available: [ModelName] = [.serial, .thread, .processPool, .hybrid, .async]

    static func model(_ name: ModelName) -> (any ConcurrencyModel)? {
        switch name {
        case .serial: SerialModel()
        case .thread: ThreadModel()
        case .processPool: ProcessPoolModel()
        case .hybrid: HybridModel()
        case .async: AsyncModel()
        case .pythonHybrid: nil
        }
    }

    /// The shapes of `model` for each worker count; serial has one shape whatever the list.
    static func shapes(of model: ModelName, workers: [Int], processes: Int) -> [Shape] {
        switch model {
        case .serial: [.serial]
        case .thread: workers.map { .threads($0) }
        case .processPool: workers.map { .processes($0, threadsEach: 1) }
        case .hybrid, .pythonHybrid: workers.map { .processes(processes, threadsEach: $0) }
        case .async: workers.map { .inFlight($0) }
        }
    }
}
