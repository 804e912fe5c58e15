import Glibc
import Synchronization

/// Which program a pool starts as its workers: `bench` itself, re-executed
/// in its hidden `bench worker` mode.
///
/// Resolution, first match wins:
/// 1. `WorkerExecutable.override`, set in-process (the tests, whose own
///    executable is the test bundle, point it at the built `bench`);
/// 2. the environment variable `BENCH_WORKER_EXECUTABLE`, read once (to run
///    workers from another build, or under a wrapper);
/// 3. `/proc/self/exe`, this very binary (`argv[0]` is only what was typed).
enum WorkerExecutable {
    static let environmentVariable = "BENCH_WORKER_EXECUTABLE"

    private static let overrideBox = Mutex<String?>(nil)

    /// An in-process override of the worker path; nil restores the default.
    static var override: String? {
        get { overrideBox.withLock { $0 } }
        set { overrideBox.withLock { $0 = newValue } }
    }

    private static let fromEnvironment: String? = {
        guard let value = getenv(environmentVariable) else { return nil }
        let path = String(cString: value)
        return path.isEmpty ? nil : path
    }()

    private static let ownPath: String = {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    static var path: String {
        override ?? fromEnvironment ?? ownPath
    }
}
