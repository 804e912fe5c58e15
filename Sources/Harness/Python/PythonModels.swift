import Engine

/// The Python models, run by python/bench_driver.py. Adding one = one line here.
public enum PythonModels {
    public static let all: [any ConcurrencyModel] = []
}
