import Engine
import Workloads

/// Every model bench can run: the Swift models of the Engine registry, and
/// the models whose parent side lives here (Python's). Adding a Python model
/// = one line in `PythonModels.all`.
public enum ModelCatalog {
    public static var all: [any ConcurrencyModel] {
        ModelRegistry.all + PythonModels.all
    }

    public static var names: [String] {
        all.map(\.name)
    }

    public static func model(named name: String) -> (any ConcurrencyModel)? {
        all.first { $0.name == name }
    }

    /// The models of the default matrix: the five of the original card, Swift only.
    public static let defaultMatrix = ["serial", "thread", "process-pool", "hybrid", "async"]
}
