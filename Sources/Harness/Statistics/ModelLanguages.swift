import Engine

/// Which models compare with which. A model's speedup baseline names its
/// language (`serial` for Swift, `python-serial` for Python, an experiment's
/// own program for itself): speedups, verdicts and fits stay within one;
/// Swift against Python is the experiments' claims tables to show.
///
/// Built from the invocation's own models, so that the models an experiment
/// brings (seed-400's Python program, the distributed experiment's
/// chunk-size-1 variants) are placed by their own declaration. Only the
/// names are kept, not the models: a model's runtime (the distributed one's
/// broker) ends when the invocation lets go of it.
public struct ModelLanguages: Sendable {
    private let baselines: [String: String]
    /// What the Python driver reported about how python-* cells ran, which
    /// the tables and verdicts mark their model names with (`python-thread (no GIL)`).
    public var python = PythonCellLabels()

    /// Later models win over earlier ones of the same name.
    public init(_ models: [any ConcurrencyModel]) {
        baselines = Dictionary(models.map { ($0.name, $0.baseline) }) { _, later in later }
    }

    /// The catalog's models and, by name, the baselines of models beyond it
    /// (an experiment's, read back from its run folder by `bench report`).
    public init(catalogAnd baselines: [String: String]) {
        self.baselines = Dictionary(ModelCatalog.all.map { ($0.name, $0.baseline) }) { _, later in later }.merging(baselines) { $1 }
    }

    /// The registered models only (charts, compare and tests that bring none of their own).
    public static let catalog = ModelLanguages(ModelCatalog.all)

    /// The model `model`'s speedups are measured against.
    public func baseline(of model: String) -> String {
        baselines[model] ?? "serial"
    }

    /// The cell's model as tables and verdicts name it, with its marks.
    public func label(of cell: Cell) -> String {
        python.label(cell)
    }

    /// Whether `model` is its language's baseline.
    public func isBaseline(_ model: String) -> Bool {
        baseline(of: model) == model
    }
}
