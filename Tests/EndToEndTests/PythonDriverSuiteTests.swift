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
        let result = try BenchBinary.runProgram(
            python, arguments: ["-m", "unittest", "-q", "test_bench_driver"],
            currentDirectory: suite.deletingLastPathComponent())
        #expect(result.status == 0, "\(result.standardError.suffix(3000))")
        #expect(result.standardError.contains("\nOK"), "\(result.standardError.suffix(500))")
    }
}
