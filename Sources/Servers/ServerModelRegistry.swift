/// Every server model, Swift's (run by `bench-worker server NAME`) and
/// CPython's (`python/servers/<name>.py`), in the order the experiment shows them.
public enum ServerModelRegistry {
    public static let swift: [any ServerModel] = [
        ThreadPerConnectionServer(),
        ThreadPoolServer(),
        PreforkServer(),
        PreforkReusePortServer(),
        PreforkThreadsServer(),
        EventLoopServer(),
        EventLoopPerCoreServer(),
        AsyncServer(),
    ]

    public static let python: [PythonServerModel] = [
        PythonServerModel("threading", script: "wsgi_threading", summary: "wsgiref's WSGIServer with socketserver.ThreadingMixIn: a thread per connection"),
        PythonServerModel("prefork", script: "prefork", summary: "--processes workers forked after binding, each accepting one connection at a time (gunicorn's sync workers)"),
        PythonServerModel("prefork-threads", script: "prefork_threads", summary: "--processes forked workers, each with a pool of --threads threads (gunicorn gthread's shape)"),
        PythonServerModel("asyncio", script: "asyncio_server", summary: "asyncio.start_server: one event loop, a coroutine per connection, keep-alive"),
    ]

    /// Every model's name, Swift's first.
    public static var names: [String] { swift.map(\.name) + python.map(\.name) }

    public static func swiftModel(named name: String) -> (any ServerModel)? {
        swift.first { $0.name == name }
    }

    public static func pythonModel(named name: String) -> PythonServerModel? {
        python.first { $0.name == name }
    }
}

/// A CPython server model: the script `python/servers/<script>.py`, standard
/// library only, started by bench as `python3 <script> --port 0 ...`.
public struct PythonServerModel: Sendable {
    public let name: String
    public let script: String
    public let summary: String

    /// `script` without its folder and `.py`; not named as a standard module it would shadow (threading, asyncio).
    init(_ name: String, script: String, summary: String) {
        self.name = "python-" + name
        self.script = "python/servers/\(script).py"
        self.summary = summary
    }
}
