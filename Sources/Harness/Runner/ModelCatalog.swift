import Engine
import Workloads

/// Every model bench can run: the Swift models of the Engine registry, and
/// the Python models, whose parent side lives here.
public enum ModelCatalog {
    /// Every model, the Python ones with the default interpreter (for listing and planning).
    public static let all: [any ConcurrencyModel] = ModelRegistry.all + PythonModels.all(runtime: PythonRuntime(options: PythonOptions()))

    public static var names: [String] {
        all.map(\.name)
    }

    public static func model(named name: String) -> (any ConcurrencyModel)? {
        all.first { $0.name == name }
    }

    /// The models of one invocation: the Python ones share one runtime made
    /// from that invocation's `--python` options.
    public static func resolver(python options: PythonOptions) -> @Sendable (String) -> (any ConcurrencyModel)? {
        let models = ModelRegistry.all + PythonModels.all(runtime: PythonRuntime(options: options))
        return { name in models.first { $0.name == name } }
    }

    /// The models of the default matrix: the five of the original card, Swift only.
    public static let defaultMatrix = ["serial", "thread", "process-pool", "hybrid", "async"]
}
