import Foundation
import Testing
import Harness
import Platform
import TestSupport

/// python-function through the built binary: a user's own function under
/// every python-* model, checked against one python-serial run; every way
/// it can go wrong as one line naming the callable, exit 64 before anything
/// is measured where it can be known then; and interpreters as an axis.
@Suite("python-function end to end", .serialized)
struct PythonFunctionTests {
    /// The user's package, `userpkg` (python/tests/fixtures: the Python tests use it too).
    static let fixtures = PlotScript.packageRoot.appendingPathComponent("python/tests/fixtures").path

    static let pythonModels = ModelCatalog.names.filter { $0.hasPrefix("python-") }

    /// bench run of `callable` (python-path: the fixtures), its run folders in `folder`/out.
    static func run(_ callable: String, in folder: TemporaryFolder, _ extra: [String] = []) throws -> BenchBinary.Result {
        try BenchBinary.run([
            "run", "--workload", "python-function", "--callable", callable, "--python-path", fixtures, "--tasks", "6",
            "--workers", "2", "--processes", "2", "--runs", "1", "--warmup", "0", "--out", folder.url.appendingPathComponent("out").path,
            "--no-plot",
        ] + extra)
    }

    @Test func everyPythonModelGivesTheReferenceRunsChecksum() throws {
        try #require(PackageFile.onPath("python3") != nil, "python3 is needed (.ci/run installs it)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for callable in ["userpkg.funcs:digest", "userpkg.funcs:waits"] {
            // No --model: the python-* models are python-function's default.
            let result = try Self.run(callable, in: folder)
            #expect(result.status == 0, "\(callable): \(result.standardError)")
            #expect(result.standardError.contains("one python-serial run of its 6 tasks for the reference checksum"))
            let raw = try CSVTable(url: folder.url.appendingPathComponent("out/latest/raw.csv"))
            #expect(Set(raw.column("model")) == Set(Self.pythonModels), "\(callable)")
            #expect(raw.rows.allSatisfy { $0["ok"] == "true" }, "\(raw.rows.filter { $0["ok"] != "true" })")
            #expect(Set(raw.column("checksum")).count == 1, "every model, the same pickled results")
            #expect(raw.rows.allSatisfy { $0["params"] == "callable=\(callable);python-path=\(Self.fixtures)" })
            // A plain function under asyncio runs through to_thread, and the table says so; an async def is awaited.
            let marked = result.standardOutput.contains("python-async (to_thread)")
            #expect(marked == (callable == "userpkg.funcs:digest"), "\(result.standardOutput)")
            #expect(result.standardOutput.contains("asyncio.to_thread") == marked)
        }
    }

    @Test func badInputIsOneLineAndExit64BeforeAnythingIsMeasured() throws {
        try #require(PackageFile.onPath("python3") != nil, "python3 is needed (.ci/run installs it)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var cases: [(callable: String, extra: [String], text: String)] = [
            ("userpkg.funcs", [], "--callable userpkg.funcs has no colon"),
            ("userpkg.broken:f", [], "module userpkg.broken does not import: ModuleNotFoundError: No module named 'no_such_module_here'"),
            ("userpkg.funcs:missing", [], "userpkg.funcs has no missing"),
            ("userpkg.funcs:unpicklable", [], "userpkg.funcs:unpicklable failed in 6 of 6 tasks; the first, task 0: its result cannot be pickled"),
            ("userpkg.funcs:digest", ["--model", "thread"], "thread cannot run python-function: python-function is Python code"),
            ("userpkg.funcs:digest", ["--python", "/bin/false"], "/bin/false is not a working Python 3 interpreter"),
        ]
        let old = "/root/.pyenv/versions/3.7.16/bin/python3.7"
        if FileManager.default.isExecutableFile(atPath: old) {
            cases.append(("userpkg.funcs:digest", ["--python", old], "is Python 3.7.16; bench needs 3.8 or later"))
        }
        for (callable, extra, text) in cases {
            let result = try Self.run(callable, in: folder, extra)
            #expect(result.status == 64, "\(callable) \(extra): \(result.standardError)")
            let errors = result.standardError.split(separator: "\n").filter { $0.hasPrefix("error: ") }
            #expect(errors.count == 1 && errors[0].contains(text), "\(callable): \(errors)")
            #expect(!errors.joined().contains("report a bug"), "the driver is never blamed")
        }
        let out = folder.url.appendingPathComponent("out").path
        #expect((try? FileManager.default.contentsOfDirectory(atPath: out))?.isEmpty ?? true, "no run folder for a run that never started")
    }

    @Test func theFunctionsOwnFailuresNameItAndFailTheRun() throws {
        try #require(PackageFile.onPath("python3") != nil, "python3 is needed (.ci/run installs it)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let raised = try Self.run("userpkg.funcs:raises", in: folder)
        #expect(raised.status == 1)
        #expect(raised.standardError.contains(
            "error: userpkg.funcs:raises failed in 1 of 6 tasks; the first, task 2: raised KeyError: 'no such record' (\(Self.fixtures)/userpkg/funcs.py:"),
            "\(raised.standardError)")
        #expect(raised.standardError.contains("in raises) — fix the function"))
        let hung = try Self.run("userpkg.funcs:hangs", in: folder, ["--timeout", "2"])
        #expect(hung.status == 1)
        #expect(hung.standardError.contains("error: userpkg.funcs:hangs: timed out after timeout_s 2 s"), "\(hung.standardError)")
        #expect(hung.seconds < 30)
        // A result that changes from run to run: a mismatch that says so, unless --no-verify.
        let varies = try Self.run("userpkg.funcs:varies", in: folder, ["--model", "python-serial"])
        #expect(varies.status == 1)
        #expect(varies.standardError.contains("from the reference python-serial run — the function's results differ from one run to the next"))
        #expect(varies.standardError.contains("or pass --no-verify"))
        let unchecked = try Self.run("userpkg.funcs:varies", in: folder, ["--model", "python-serial", "--no-verify"])
        #expect(unchecked.status == 0, "\(unchecked.standardError)")
        let meta = try MetaJSON.read(runFolder: folder.url.appendingPathComponent("out/latest"))
        #expect((meta["parameters"] as? [String: Any])?["verify"] as? Bool == false)
    }

    /// Two pyenv interpreters, where the machine has them: every python-*
    /// cell once per interpreter, each against its own python-serial.
    @Test func interpretersAreAnAxisWithTheirOwnBaselines() throws {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/root/.pyenv/versions")) ?? []
        let interpreters = versions.filter { $0.hasPrefix("3.1") }.sorted().suffix(2).compactMap { version -> String? in
            let minor = version.split(separator: ".").prefix(2).joined(separator: ".")
            let path = "/root/.pyenv/versions/\(version)/bin/python\(minor)"
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        try #require(interpreters.count == 2, "two pyenv interpreters 3.10 or later are needed")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try Self.run("userpkg.funcs:digest", in: folder, [
            "--model", "python-serial,python-thread", "--python", interpreters.joined(separator: ","), "--runs", "2",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let names = interpreters.map { String($0.split(separator: "/").last!) }
        let summary = try CSVTable(url: folder.url.appendingPathComponent("out/latest/summary.csv"))
        #expect(Set(summary.column("interpreter")) == Set(names))
        for name in names {
            let rows = summary.rows(matching: ["interpreter": name])
            let serial = try #require(rows.first { $0["model"] == "python-serial" }.flatMap { Double($0["wall_median_s"] ?? "") })
            let thread = try #require(rows.first { $0["model"] == "python-thread" })
            let wall = try #require(Double(thread["wall_median_s"] ?? ""))
            #expect(abs((Double(thread["speedup"] ?? "") ?? 0) - serial / wall) < 1e-3, "\(name): its own serial")
            #expect(result.standardOutput.contains("under \(name)"), "a table per interpreter")
        }
        let meta = try MetaJSON.read(runFolder: folder.url.appendingPathComponent("out/latest"))
        let python = try #require((meta["notes"] as? [String: Any])?["python"] as? [String: Any])
        let described = try #require(python["interpreters"] as? [[String: Any]])
        #expect(described.map { $0["name"] as? String } == names)
        #expect(described.allSatisfy { $0["gil_enabled"] is Bool && ($0["path"] as? String)?.hasPrefix("/") == true })
    }
}
