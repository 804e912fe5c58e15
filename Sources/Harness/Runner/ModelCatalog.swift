import Engine
import Workloads

/// Every model bench can run: the Swift models of the Engine registry, and
/// the Python and distributed models, whose parent side lives here.
public enum ModelCatalog {
    /// Every model, with default options (for listing and planning).
    public static let all: [any ConcurrencyModel] = models(MatrixOptions())

    public static var names: [String] {
        all.map(\.name)
    }

    public static func model(named name: String) -> (any ConcurrencyModel)? {
        all.first { $0.name == name }
    }

    /// The models of one invocation: the Python ones share one runtime made
    /// from its `--python` options, the distributed one a broker from its `--broker` options.
    public static func resolver(_ options: MatrixOptions) -> @Sendable (String) -> (any ConcurrencyModel)? {
        let models = models(options)
        return { name in models.first { $0.name == name } }
    }

    private static func models(_ options: MatrixOptions) -> [any ConcurrencyModel] {
        ModelRegistry.all + PythonModels.all(runtime: PythonRuntime(options: options.python))
            + [DistributedModel(runtime: DistributedRuntime(options: options.distributed))]
    }

    /// The models of the default matrix: the five of the original card, Swift only.
    /// Read from the Engine registry, never from `all`: `all` is built with
    /// `MatrixOptions()`, whose default models are this list (a cycle of static initializers).
    public static let defaultMatrix = ModelRegistry.all.filter(\.inDefaultMatrix).map(\.name)
}
