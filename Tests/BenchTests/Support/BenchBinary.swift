import Foundation

/// The `bench` executable built beside the test bundle, run as a user would.
enum BenchBinary {
    /// `swift test` builds `bench` into the same folder as the test bundle.
    static var url: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bench")
    }

    /// What one invocation printed and how it ended.
    struct Result {
        let status: Int32
        let standardOutput: String
        let standardError: String
        let seconds: Double
    }

    /// Runs `bench` with `arguments`, capturing both streams. `environment`
    /// entries are added to this process's environment.
    static func run(_ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil) throws -> Result {
        try runProgram(url, arguments: arguments, environment: environment, currentDirectory: currentDirectory)
    }

    /// Runs any program the same way (plot.sh through bash, say).
    static func runProgram(
        _ executable: URL, arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let start = Date()
        try process.run()
        // Drain both pipes while the child runs so a chatty child never blocks on a full pipe.
        let outputData = DataCollector(output.fileHandleForReading)
        let errorData = DataCollector(error.fileHandleForReading)
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData.finish(), as: UTF8.self),
            standardError: String(decoding: errorData.finish(), as: UTF8.self),
            seconds: Date().timeIntervalSince(start))
    }
}

/// Reads a pipe to its end on a background thread.
final class DataCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func finish() -> Data {
        done.wait()
        return data
    }
}

/// A fresh folder under the system temporary directory, removed by `remove()`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bench-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Runs `body` on a thread of its own while the calling test suspends.
///
/// Swift Testing runs tests on the cooperative pool (2 threads here). The
/// async model blocks its caller until its TaskGroup finishes on that same
/// pool, as the `bench` binary does from its main thread; called from a pool
/// thread it could starve the pool. Tests that execute models go through here.
func offCooperativePool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try body() })
        }
    }
}
