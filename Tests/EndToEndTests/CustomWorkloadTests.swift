import Foundation
import Testing
import Engine
import Harness
import Platform
import TestSupport
import Workloads

/// Examples/SHA256Bench, a package that depends on bench by path and adds a
/// workload of its own: built with SwiftPM as a user would, then run under
/// every Swift model, its pool workers being the example's own executable.
@Suite("A package's own workload", .serialized)
struct CustomWorkloadTests {
    /// The example's executable, built (incrementally) under this package's
    /// .build, so that a second run of the suite does not build it again.
    static func buildExample() throws -> URL {
        let package = try #require(
            PackageFile.locate("Examples/SHA256Bench/Package.swift", executable: CommandLine.arguments[0]),
            "Examples/SHA256Bench is part of the package").deletingLastPathComponent()
        let root = package.deletingLastPathComponent().deletingLastPathComponent()
        let scratch = root.appendingPathComponent(".build/examples/SHA256Bench")
        let swift = try #require(PackageFile.onPath("swift"), "swift is on PATH wherever swift test runs")
        let build = try BenchBinary.runProgram(
            // No cached build plan: it would miss files added to bench since the last build.
            swift, arguments: ["build", "--package-path", package.path, "--scratch-path", scratch.path, "--product", "sha256-bench", "--disable-build-manifest-caching"])
        #expect(build.status == 0, "swift build of the example failed:\n\(build.standardOutput.suffix(3_000))\n\(build.standardError.suffix(2_000))")
        return scratch.appendingPathComponent("debug/sha256-bench")
    }

    @Test func theExampleRunsItsWorkloadUnderEverySwiftModel() throws {
        let program = try Self.buildExample()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let models = ModelRegistry.all.map(\.name)
        let result = try BenchBinary.runProgram(program, arguments: [
            "run", "--workload", "sha256", "--model", models.joined(separator: ","), "--workers", "2", "--processes", "2",
            "--tasks", "6", "--sha-bytes", "3000", "--runs", "1", "--warmup", "0", "--out", folder.url.path, "--no-plot",
        ], environment: [HelperExecutable.environmentVariable: "/nonexistent/bench-worker"])
        #expect(result.status == 0, "\(result.standardError)")
        let raw = try CSVTable(url: folder.url.appendingPathComponent("latest/raw.csv"))
        #expect(Set(raw.column("model")) == Set(models))
        #expect(raw.rows.allSatisfy { $0["ok"] == "true" && $0["workload"] == "sha256" }, "\(raw.rows)")
        #expect(Set(raw.column("checksum")).count == 1, "every model hashed the same bytes")

        // Python's driver has no sha256: refused before anything runs.
        let python = try BenchBinary.runProgram(program, arguments: ["run", "--workload", "sha256", "--model", "python-thread", "--out", folder.url.path])
        #expect(python.status == 64 && python.standardError.contains("has no sha256 workload"), "\(python.standardError)")
    }

    @Test func theHandWrittenSHA256AgreesWithSha256sum() throws {
        let program = try Self.buildExample()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try BenchBinary.runProgram(program, arguments: [
            "run", "--workload", "sha256", "--model", "serial", "--tasks", "1", "--sha-bytes", "1000", "--runs", "1",
            "--warmup", "0", "--out", folder.url.path, "--no-plot",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let checksum = try #require(try CSVTable(url: folder.url.appendingPathComponent("latest/raw.csv")).column("checksum").first)

        // Task 0 hashes its index (8 zero bytes) and then byte i = i * 31 + 7 of the shared buffer.
        let input = folder.url.appendingPathComponent("task0.bin")
        try Data([UInt8](repeating: 0, count: 8) + (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: input)
        let sum = try BenchBinary.runProgram(try #require(PackageFile.onPath("sha256sum")), arguments: [input.path])
        let digest = try #require(UInt64(String(sum.standardOutput.prefix(16)), radix: 16), "\(sum.standardOutput)")
        var expected = Checksum()
        expected.add(task: 0, result: digest)
        #expect(checksum == expected.description)
    }
}
