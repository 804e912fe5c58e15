/// The Swift models, in the order `bench list` and the default matrix show
/// them. Adding a model = its file + one line here. (The Python models'
/// parent side lives in Harness, which adds them to the catalog.)
public enum ModelRegistry {
    public static let all: [any ConcurrencyModel] = [
        SerialModel(),
        ThreadModel(),
        ProcessPoolModel(),
        HybridModel(),
        AsyncModel(),
        ProcessAsyncModel(),
    ]

    public static func model(named name: String) -> (any ConcurrencyModel)? {
        all.first { $0.name == name }
    }
}
