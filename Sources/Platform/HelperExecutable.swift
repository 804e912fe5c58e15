import Glibc
import Synchronization

/// Where `bench-worker` is: the small, Foundation-free program that pools
/// start as their workers and that bench starts for its helpers (the local
/// HTTP server, a sink's reader, the fork server).
///
/// Resolution, first match wins:
/// 1. `HelperExecutable.override`, set in-process (tests and wrappers);
/// 2. this process's own executable, once `serveFromOwnExecutable()` was
///    called: a program built on bench with workloads of its own, which only
///    it can run, started as `PROGRAM bench-worker ROLE ...`;
/// 3. the environment variable `BENCH_WORKER_EXECUTABLE` (workers from
///    another build, or under a wrapper such as valgrind);
/// 4. `bench-worker` in the folder of this process's own executable
///    (`/proc/self/exe`: `argv[0]` is only what was typed), which is where
///    `swift build` puts it beside `bench` and beside the test bundle.
///
/// Whoever starts a helper passes its role through `arguments(_:)`, which
/// puts `bench-worker` before it when the program is not bench-worker itself.
public enum HelperExecutable {
    public static let environmentVariable = "BENCH_WORKER_EXECUTABLE"
    public static let fileName = "bench-worker"
    /// How a user gets the program when it is missing.
    public static let buildCommand = "swift build -c release --product bench-worker"
    /// The first argument that tells a program built on bench to be its own bench-worker.
    public static let ownWorkerArgument = "bench-worker"

    private static let overrideBox = Mutex<String?>(nil)
    private static let ownExecutableBox = Mutex(false)

    /// An in-process override of the path; nil restores the default.
    public static var override: String? {
        get { overrideBox.withLock { $0 } }
        set { overrideBox.withLock { $0 = newValue } }
    }

    /// From now on this process's own executable is the helper, started with
    /// `ownWorkerArgument` before the role.
    public static func serveFromOwnExecutable() {
        ownExecutableBox.withLock { $0 = true }
    }

    private static var usesOwnExecutable: Bool {
        override == nil && ownExecutableBox.withLock { $0 } && ownPath != nil
    }

    /// The arguments that start the helper in `role` (its name and its own arguments).
    public static func arguments(_ role: [String]) -> [String] {
        usesOwnExecutable ? [ownWorkerArgument] + role : role
    }

    private static let fromEnvironment: String? = {
        guard let value = getenv(environmentVariable) else { return nil }
        let path = String(cString: value)
        return path.isEmpty ? nil : path
    }()

    /// This process's own executable, absolute.
    public static let ownPath: String? = {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// The folder of this process's executable, with a trailing slash.
    public static var ownFolder: String? {
        guard let own = ownPath, let slash = own.lastIndex(of: "/") else { return nil }
        return String(own[...slash])
    }

    /// The path to start, whether or not it exists.
    public static var path: String {
        if usesOwnExecutable, let ownPath { return ownPath }
        return override ?? fromEnvironment ?? ((ownFolder ?? "./") + fileName)
    }

    /// The path, checked to be an executable file: a missing worker is one
    /// clear error before anything is measured, not a failure per cell.
    public static func resolve() throws(MissingHelperError) -> String {
        let candidate = path
        guard ProgramSearch.isExecutableFile(candidate) else {
            throw MissingHelperError(path: candidate, fromEnvironment: override == nil && fromEnvironment != nil)
        }
        return candidate
    }
}

/// `bench-worker` is not where bench looks for it.
public struct MissingHelperError: ReportableError {
    public let path: String
    public let fromEnvironment: Bool

    public var what: String { "\(path) is missing or not executable" }
    public var fix: String {
        fromEnvironment
            ? "point \(HelperExecutable.environmentVariable) at a built bench-worker, or unset it"
            : "build it with \(HelperExecutable.buildCommand) (swift run -c release bench builds it too)"
    }
    public var exitCode: ExitCode { .runFailed }
}
