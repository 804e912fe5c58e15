import Foundation
import Testing
import Harness
import TestSupport

/// python/tests/, the stdlib unittest suite of the Python side (one module
/// per part of python/bench/), run by `swift test` so that the README's one
/// test command (and CI) covers the Python side too. The built bench is the
/// suite's BENCH_BINARY, so its checksums are cross-checked against `bench serve`.
@Suite("Python driver's own tests")
struct PythonDriverSuiteTests {
    @Test func theDriversUnittestSuitePasses() throws {
        let python = try #require(PackageFile.onPath("python3"), "python3 is needed for the Python models and their tests")
        let driver = try #require(PackageFile.locate("python/bench_driver.py", executable: BenchBinary.url.path))
        // Through a shell for the working directory (discovery starts there); Spawned for a bound on a hung suite (~60 s here).
        let suiteRun = try Spawned(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "cd \"$0\" && exec \"$1\" -m unittest -q", driver.deletingLastPathComponent().path, python.path],
            environment: ["BENCH_BINARY": BenchBinary.url.path])
        let status = suiteRun.wait(seconds: 600)
        let report = suiteRun.standardError()
        #expect(status == 0, "\(report.suffix(3000))")
        #expect(report.contains("\nOK"), "\(report.suffix(500))")
        #expect(!report.contains("Ran 0 tests"), "discovery found the tests under python/tests/")
    }
}
