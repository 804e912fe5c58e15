import Foundation
import Platform
import Harness

/// The `bench` executable built beside the test bundle, run as a user would.
public enum BenchBinary {
    /// `swift test` builds `bench` into the same folder as the test bundle.
    public static var url: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bench")
    }

    /// `bench-worker`, built beside `bench`.
    public static var workerURL: URL {
        url.deletingLastPathComponent().appendingPathComponent("bench-worker")
    }

    /// What one invocation printed and how it ended.
    public struct Result {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
        public let seconds: Double
    }

    /// Runs `bench` with `arguments`, capturing both streams. `environment`
    /// entries are added to this process's environment.
    public static func run(_ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil) throws -> Result {
        try runProgram(url, arguments: arguments, environment: environment, currentDirectory: currentDirectory)
    }

    /// Runs any program the same way (plot.sh through bash, say).
    public static func runProgram(
        _ executable: URL, arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil
    ) throws -> Result {
        var program = executable
        var words = arguments
        if let currentDirectory {
            // posix_spawn's chdir action is not in Swift's Glibc module: a shell changes directory first.
            program = URL(fileURLWithPath: "/bin/sh")
            words = ["-c", "cd \"$0\" && exec \"$@\"", currentDirectory.path, executable.path] + arguments
        }
        let start = Date()
        let spawned = try Spawned(program, words, environment: environment, pipeOutput: true)
        // Standard error drains on its own thread meanwhile, so neither pipe can fill up and block the child.
        let output = readToEnd(spawned.output!)
        let status = spawned.wait()
        return Result(
            status: status, standardOutput: String(decoding: output, as: UTF8.self),
            standardError: spawned.standardError(), seconds: Date().timeIntervalSince(start))
    }
}

/// A program a test starts: `posix_spawn` through bench's own `ChildProcess`,
/// not Foundation's `Process`, whose `run()` crashed now and then in this test
/// process (a bad memmove inside it) and whose reads stop the process on EINTR.
/// Its standard error is captured; standard output goes to /dev/null unless
/// piped here, and standard input can be piped too.
public final class Spawned {
    public let child: ChildProcess
    /// The parent's end of the child's standard input, when piped.
    private(set) var input: Int32?
    /// The parent's end of the child's standard output, when piped.
    public let output: Int32?

    public var pid: pid_t { child.pid }

    public init(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
        pipeInput: Bool = false, pipeOutput: Bool = false
    ) throws {
        let inputPipe = pipeInput ? try FileDescriptor.makePipe() : nil
        let outputPipe = pipeOutput ? try FileDescriptor.makePipe() : nil
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer {
            close(null)
            FileDescriptor.close(inputPipe?.read ?? -1)
            FileDescriptor.close(outputPipe?.write ?? -1)
        }
        child = try ChildProcess(
            executable: executable.path, arguments: arguments, standardInput: inputPipe?.read,
            standardOutput: outputPipe?.write ?? null,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" })
        input = inputPipe?.write
        output = outputPipe?.read
    }

    deinit {
        closeInput()
        FileDescriptor.close(output ?? -1)
        // A test that stopped early (a failed #require) must not leave its child running.
        if !child.hasEnded() {
            child.signal(SIGKILL)
            _ = child.wait()
        }
    }

    /// Writes `text` to the child's standard input (which must be piped).
    public func write(_ text: String) throws {
        guard let input, FileDescriptor.writeAll(input, text) == nil else { throw TestError("cannot write to pid \(pid)'s standard input") }
    }

    public func closeInput() {
        FileDescriptor.close(input ?? -1)
        input = nil
    }

    /// Waits for the child; its exit status, or 128 + the signal that ended it.
    public func wait() -> Int32 {
        Self.status(child.wait().status)
    }

    /// Waits up to `seconds`; past that kills the child (so a failing test
    /// cannot hang the suite) and returns nil.
    public func wait(seconds: Double) -> Int32? {
        child.wait(until: MonotonicClock.now() &+ UInt64(seconds * 1e9)).map { Self.status($0.status) }
    }

    /// Everything the child wrote on standard error, once it has ended.
    public func standardError() -> String {
        child.standardError()
    }

    private static func status(_ status: ExitStatus) -> Int32 {
        switch status {
        case let .exited(code): code
        case let .signaled(signal, _): 128 + signal
        }
    }
}

/// A fresh folder under the system temporary directory, removed by `remove()`.
public struct TemporaryFolder {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bench-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Runs `body` on a thread of its own while the calling test suspends.
///
/// Swift Testing runs tests on the cooperative pool (2 threads here). The
/// async model blocks its caller until its TaskGroup finishes on that same
/// pool, as the `bench` binary does from its main thread; called from a pool
/// thread it could starve the pool. Tests that execute models go through here.
public func offCooperativePool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try body() })
        }
    }
}

/// Every byte of `descriptor` until end of file, retrying reads a signal
/// interrupts (FileHandle's own reads stop the test process on EINTR).
public func readToEnd(_ descriptor: Int32) -> [UInt8] {
    FileDescriptor.readToEnd(descriptor).bytes
}

/// One line from `descriptor` (without its newline), read byte by byte so
/// nothing after it is consumed; nil at end of file or after a minute.
public func readLine(_ descriptor: Int32) -> String? {
    FileDescriptor.readLine(descriptor, milliseconds: 60_000)
}
