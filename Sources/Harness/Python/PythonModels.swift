import Engine

/// The Python models, run by python/bench_driver.py, with the same shapes as
/// their Swift counterparts. Adding one = one line here, and its file plus
/// one line in python/bench/models/registry.py.
public enum PythonModels {
    public static func all(runtime: PythonRuntime) -> [any ConcurrencyModel] {
        [
            PythonDriverModel(name: "python-serial", summary: "CPython, one thread, tasks in order (the baseline of every Python speedup)", layout: .serial, runtime: runtime),
            PythonDriverModel(name: "python-thread", summary: "CPython threading: --workers threads over one queue.Queue (the GIL decides)", layout: .threads, runtime: runtime),
            PythonDriverModel(name: "python-process-pool", summary: "CPython multiprocessing.Pool of --workers processes, chunks as Pool.map", layout: .processes, runtime: runtime),
            PythonDriverModel(name: "python-hybrid", summary: "CPython Pool of --processes processes x --workers threads each (the tutorial's)", layout: .processesTimesThreads, runtime: runtime),
            PythonDriverModel(name: "python-async", summary: "CPython asyncio, at most --workers tasks in flight", layout: .inFlight, runtime: runtime),
            PythonDriverModel(name: "python-process-async", summary: "CPython Pool of --processes processes x asyncio with --workers in flight each", layout: .processesTimesInFlight, runtime: runtime),
            PythonDriverModel(name: "python-distributed", summary: "the seeds' BaseManager master/worker: --workers worker programs take chunks from the master's task_queue", layout: .processes, runtime: runtime),
        ]
    }
}
