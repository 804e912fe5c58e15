import Foundation
import Testing
import Harness
import TestSupport

/// python/test_bench_driver.py, the stdlib unittest suite of the Python
/// driver, run by `swift test` so that the README's one test command (and
/// CI) covers the Python side too.
@Suite("Python driver's own tests")
struct PythonDriverSuiteTests {
    @Test func theDriversUnittestSuitePasses() throws {
        let python = try #require(PackageFile.onPath("python3"), "python3 is needed for the Python models and their tests")
        let suite = try #require(PackageFile.locate("python/test_bench_driver.py", executable: BenchBinary.url.path))
        // Through a shell for the working directory; Spawned for a bound on a hung suite (~40 s here).
        let suiteRun = try Spawned(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "cd \"$0\" && exec \"$1\" -m unittest -q test_bench_driver", suite.deletingLastPathComponent().path, python.path])
        let status = suiteRun.wait(seconds: 600)
        let report = suiteRun.standardError()
        #expect(status == 0, "\(report.suffix(3000))")
        #expect(report.contains("\nOK"), "\(report.suffix(500))")
    }
}
