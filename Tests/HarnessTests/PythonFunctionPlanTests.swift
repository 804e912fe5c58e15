import Foundation
import Testing
import Engine
import Platform
@testable import Experiments
@testable import Harness
@testable import Workloads

/// python-function and the interpreter axis, without running Python: who may
/// run the workload, how `--callable` is checked, how cells, baselines and
/// CSV rows carry the interpreter, and how tables label a cell from what
/// the driver's report said (gil_enabled, to_thread).
@Suite("python-function and the interpreter axis")
struct PythonFunctionPlanTests {
    static let digest = ParameterValue.text("benchexamples.digest:sha256")

    static func options(models: [String], interpreters: [String] = [], workers: [Int] = [1, 2]) -> MatrixOptions {
        var options = MatrixOptions()
        options.workloads = ["python-function"]
        options.models = models
        options.workers = workers
        options.parameterValues = ["callable": [digest]]
        options.python.interpreters = interpreters
        return options
    }

    @Test func swiftModelsRefuseItAndPythonModelsRunIt() throws {
        for model in ["serial", "thread", "process-pool", "hybrid", "async", "distributed"] {
            #expect {
                try MatrixPlan(Self.options(models: [model]))
            } throws: { error in
                let usage = error as? BenchError
                return usage?.exitCode == .usage && usage?.what.contains("\(model) cannot run python-function: python-function is Python code") == true
            }
        }
        let python = ModelCatalog.names.filter { $0.hasPrefix("python-") }
        #expect(python.count == 7)
        let plan = try MatrixPlan(Self.options(models: python))
        #expect(Set(plan.cells.map(\.model)) == Set(python))
    }

    @Test func theCallableIsModuleColonFunction() throws {
        for good in ["m:f", "pkg.module:func", "pkg.module:Class.method", "_private:_f", "mödule:fünction"] {
            #expect(throws: Never.self, "\(good)") { try PythonFunctionWorkload(callable: good, pythonPath: "") }
        }
        for bad in ["", "module", "module:", ":func", "1pkg:f", "pkg.:f", "pkg:f-g", "a:b:c", "pkg module:f"] {
            #expect {
                try PythonFunctionWorkload(callable: bad, pythonPath: "")
            } throws: { error in
                (error as? WorkloadError)?.exitCode == .usage
            }
        }
        let declaration = try #require(WorkloadRegistry.declaration(named: "python-function"))
        #expect(declaration.runsOnlyInPython && declaration.hasPythonVersion && !declaration.inDefaultMatrix)
        #expect(declaration.defaults()["python-path"] == .text("."))
    }

    @Test func interpretersAreAnAxisOfThePythonCellsOnly() throws {
        let interpreters = ["/opt/a/bin/python3.11", "/opt/b/bin/python3.13"]
        var options = Self.options(models: ["python-serial", "python-thread"], interpreters: interpreters)
        options.workloads = ["xor"]
        options.models = ["serial", "thread", "python-serial", "python-thread"]
        options.parameterValues = [:]
        let plan = try MatrixPlan(options)
        let swift = plan.cells.filter { !$0.model.hasPrefix("python-") }
        let python = plan.cells.filter { $0.model.hasPrefix("python-") }
        #expect(swift.count == 3 && swift.allSatisfy { $0.interpreter == nil })
        #expect(python.count == 6)
        #expect(Set(python.compactMap(\.interpreter)) == ["python3.11", "python3.13"])
        #expect(plan.cells.map(\.index) == Array(0..<plan.cells.count), "renumbered in order")
        #expect(Set(plan.cells.map(\.label)).count == plan.cells.count, "labels tell every cell apart")
        #expect(python.first { $0.interpreter == "python3.13" }?.label.hasSuffix(" under python3.13") == true)
        // A single interpreter is no axis.
        options.python.interpreters = [interpreters[0]]
        #expect(try MatrixPlan(options).cells.allSatisfy { $0.interpreter == nil })
    }

    @Test func axisNamesAreFileNamesUnlessTwoShareOne() throws {
        let options = PythonOptions(interpreter: nil)
        #expect(options.axisNames.isEmpty && options.interpreter == nil)
        var two = PythonOptions()
        two.interpreters = try PythonOptions.parseList("python3.11,/opt/x/python3.13t,python3.11")
        #expect(two.interpreters == ["python3.11", "/opt/x/python3.13t"], "duplicates dropped")
        #expect(two.axisNames == ["python3.11", "python3.13t"])
        #expect(two.interpreter(named: "python3.13t") == "/opt/x/python3.13t" && two.interpreter(named: nil) == "python3.11")
        var same = PythonOptions()
        same.interpreters = ["/a/python3", "/b/python3", "python3.12"]
        #expect(same.axisNames == ["/a/python3", "/b/python3", "python3.12"])
        #expect(throws: BenchError.self) { try PythonOptions.parseList("python3.11,,python3.12") }
        #expect(throws: PythonInterpreter.Missing.self, "a command that takes one interpreter refuses a list") {
            try PythonInterpreter.resolve("python3.11,python3.12")
        }
    }

    /// Samples of one cell, walls in seconds.
    static func samples(_ cell: Cell, _ walls: [Double]) -> [Sample] {
        walls.enumerated().map { round, wall in
            Sample(
                cell: cell, order: round, repetition: round + 1, wallSeconds: wall, setupSeconds: 0,
                usage: ResourceUsage(userSeconds: wall, systemSeconds: 0, voluntarySwitches: 0, involuntarySwitches: 0),
                maxRSSKilobytes: 1000, checksum: Checksum(), ok: true)
        }
    }

    static func cell(_ model: String, _ shape: Shape, _ interpreter: String?, index: Int) -> Cell {
        Cell(
            index: index, workload: "xor", kind: .cpu, work: WorkSize(amount: 1000, unit: "iterations"),
            parameters: ParameterValues(["iterations": .number(1000)]), model: model, shape: shape, tasks: 8, interpreter: interpreter)
    }

    @Test func eachInterpreterHasItsOwnBaselineAndCSVColumn() throws {
        let cells = [
            Self.cell("python-serial", .serial, "python3.11", index: 0), Self.cell("python-thread", .threads(2), "python3.11", index: 1),
            Self.cell("python-serial", .serial, "python3.13t", index: 2), Self.cell("python-thread", .threads(2), "python3.13t", index: 3),
        ]
        let samples = Self.samples(cells[0], Array(repeating: 1.0, count: 6)) + Self.samples(cells[1], Array(repeating: 1.0, count: 6))
            + Self.samples(cells[2], Array(repeating: 2.0, count: 6)) + Self.samples(cells[3], Array(repeating: 1.0, count: 6))
        let summaries = CellSummary.summarize(samples)
        let speedups = Dictionary(uniqueKeysWithValues: summaries.map { ("\($0.cell.model) \($0.cell.interpreter ?? "")", $0.speedup) })
        #expect(speedups["python-thread python3.11"] == 1.0, "against python3.11's own serial")
        #expect(speedups["python-thread python3.13t"] == 2.0, "against python3.13t's own serial")
        #expect(CellGroup.of(cells).count == 2, "one table per interpreter")
        let raw = ResultsCSV.rawRow(samples[0], runID: "r")
        #expect(raw.count == ResultsCSV.rawHeader.count && raw.last == "python3.11" && ResultsCSV.rawHeader.last == "interpreter")
        let summary = ResultsCSV.summaryRow(summaries[0])
        #expect(summary.count == ResultsCSV.summaryHeader.count && summary.last == "python3.11")
    }

    /// A driver report line as python/bench/driver.py writes it.
    static func report(gil: Bool, toThread: Bool = false) throws -> PythonDriverReport {
        let line = """
            {"wall_s": 0.5, "setup_s": 0.01, "user_s": 0.9, "sys_s": 0.01, "vcsw": 3, "ivcsw": 4, "max_rss_kb": 20000, "pss_kb": 9000, "uss_kb": 8000, "checksum": "0x0000000000000007", "tasks": 8, "task_p50_s": 0.1, "task_p99_s": 0.2, "queue_p50_s": 0.0, "queue_p99_s": 0.1, "python": "3.13.1", "implementation": "cpython", "gil_enabled": \(gil), "start_method": null, "switch_interval_s": 0.005, "to_thread": \(toThread)}
            """
        guard case let .success(report) = PythonDriverReport.decode(line) else {
            Issue.record("the report line did not decode")
            throw BenchError.runFailed("undecodable", fix: "")
        }
        return report
    }

    @Test func tablesLabelACellFromWhatItsDriverReported() throws {
        let xor = ParameterValues(["iterations": .number(1000)])
        var labels = PythonCellLabels()
        // python3.13t ran without the GIL in every sample; python3.12 with it.
        for _ in 0..<2 {
            labels.record(try Self.report(gil: false), model: "python-thread", interpreter: "python3.13t", workload: "xor", parameters: xor)
            labels.record(try Self.report(gil: true), model: "python-thread", interpreter: "python3.12", workload: "xor", parameters: xor)
        }
        // A sample in which an extension module turned the GIL back on: no mark.
        labels.record(try Self.report(gil: false), model: "python-serial", interpreter: "python3.13t", workload: "xor", parameters: xor)
        labels.record(try Self.report(gil: true), model: "python-serial", interpreter: "python3.13t", workload: "xor", parameters: xor)
        labels.record(try Self.report(gil: true, toThread: true), model: "python-async", interpreter: nil, workload: "xor", parameters: xor)

        let free = Self.cell("python-thread", .threads(2), "python3.13t", index: 0)
        #expect(labels.label(free) == "python-thread (no GIL)")
        #expect(labels.label(Self.cell("python-thread", .threads(2), "python3.12", index: 1)) == "python-thread")
        #expect(labels.label(Self.cell("python-serial", .serial, "python3.13t", index: 2)) == "python-serial")
        #expect(labels.label(Self.cell("python-async", .inFlight(2), nil, index: 3)) == "python-async (to_thread)")
        #expect(labels.label(Self.cell("thread", .threads(2), nil, index: 4)) == "thread")
        #expect(labels.runsWithoutGIL(interpreter: "python3.12") == false)
        #expect(labels.runsWithoutGIL(interpreter: "python3.13t") == false, "one sample with the GIL is enough to say so")
        #expect(labels.runsWithoutGIL(interpreter: "python3.99") == nil)

        // Through the table: the model column and its footnote.
        let serial = Self.cell("python-serial", .serial, "python3.13t", index: 5)
        let summaries = CellSummary.summarize(Self.samples(serial, [1, 1, 1]) + Self.samples(free, [0.5, 0.5, 0.5]))
        var languages = ModelLanguages.catalog
        languages.python = labels
        let table = TerminalTable.render(summaries, languages: languages)
        #expect(table.contains("python-thread (no GIL)"), "\(table)")
        #expect(table.contains("(no GIL): the interpreter ran without the GIL"), "\(table)")
        #expect(!TerminalTable.render(summaries).contains("(no GIL)"), "no report, no mark")
    }

    @Test func theGILClaimsNameEachInterpreterAndItsGIL() throws {
        let xor = ParameterValues(["iterations": .number(1000)])
        var labels = PythonCellLabels()
        labels.record(try Self.report(gil: true), model: "python-serial", interpreter: "python3.13", workload: "xor", parameters: xor)
        labels.record(try Self.report(gil: false), model: "python-serial", interpreter: "python3.13t", workload: "xor", parameters: xor)
        var languages = ModelLanguages.catalog
        languages.python = labels
        let cells = [
            Self.cell("python-serial", .serial, "python3.13", index: 0), Self.cell("python-serial", .serial, "python3.13t", index: 1),
            Self.cell("serial", .serial, nil, index: 2),
        ]
        let samples = cells.flatMap { Self.samples($0, [1, 1, 1, 1, 1, 1]) }
        let results = InvocationResults(
            summaries: CellSummary.summarize(samples), verdicts: [], samples: samples, languages: languages)
        let claims = GILClaims(results: results, pythonIterations: 1000, swiftFactor: 16, middle: 16, high: 64)
        #expect(claims.pythons.map(\.name) == ["python3.13", "python3.13t-nogil"])
        #expect(Set(claims.checks.map(\.language)) == ["python3.13", "python3.13t-nogil", "swift"])
        #expect(claims.checks.count == 3 * 7)
        // Without the axis, one Python: "python", as before.
        let single = Self.samples(Self.cell("python-serial", .serial, nil, index: 0), [1, 1, 1, 1, 1, 1])
        let plain = GILClaims(
            results: InvocationResults(summaries: CellSummary.summarize(single), verdicts: [], samples: single),
            pythonIterations: 1000, swiftFactor: 16, middle: 16, high: 64)
        #expect(plain.pythons.map(\.name) == ["python"])
    }

    @Test func theProbeAnswerRefusesAnythingButCPython38OrLater() throws {
        let free = try PythonInterpreter.described(by: "/opt/py/bin/python3.13t\n3.13.1\n0\nforkserver\n0.005\nCPython\n", launcher: "python3.13t")
        #expect(!free.gilEnabled && free.version == "3.13.1" && free.defaultStartMethod == "forkserver")
        #expect(try PythonInterpreter.described(by: "/usr/bin/python3\n3.11.2\n1\nfork\n0.005\nCPython\n", launcher: "python3").gilEnabled)
        for (answer, text) in [
            ("/usr/bin/pypy3\n3.10.14\n1\nfork\n0.005\nPyPy\n", "is PyPy 3.10.14, not CPython"),
            ("/usr/bin/python3.7\n3.7.16\n1\nfork\n0.005\nCPython\n", "is Python 3.7.16; bench needs 3.8 or later"),
            ("garbage\n", "did not describe itself"),
        ] {
            #expect(throws: PythonInterpreter.Missing.self) { try PythonInterpreter.described(by: answer, launcher: "x") }
            do {
                _ = try PythonInterpreter.described(by: answer, launcher: "x")
            } catch {
                #expect(error.what.contains(text), "\(error.what)")
                #expect(error.exitCode == .usage)
            }
        }
    }

    @Test func aDriverErrorMarkedUsageIsBadUsage() {
        let usage = PythonDriverModel.failure("--callable m:f: m has no f — check the name after the colon", usage: true)
        #expect(usage.exitCode == .usage && usage.what == "--callable m:f: m has no f" && usage.fix == "check the name after the colon")
        #expect(PythonDriverModel.failure("m:f failed in 1 of 4 tasks — fix the function").exitCode == .runFailed)
        guard case let .failure(message, flag) = PythonDriverReport.decode(#"{"error": "a — b", "usage": true}"#) else {
            Issue.record("an error line decodes as a failure")
            return
        }
        #expect(message == "a — b" && flag)
    }
}
