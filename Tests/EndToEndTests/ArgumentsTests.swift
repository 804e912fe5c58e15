import Testing
@testable import Bench
import Engine
import Harness
import Platform
import TestSupport
import Workloads

@Suite("Command-line parsing")
struct ArgumentsTests {
    let specs = MatrixFlags.all + [Usage.helpOption]

    @Test func readsValuesInBothSpellingsAndFlags() throws {
        let arguments = try Arguments(["--tasks", "8", "--runs=3", "--quick"], accepting: specs)
        #expect(try arguments.integer("--tasks", in: 1...100, example: 1) == 8)
        #expect(try arguments.integer("--runs", in: 1...100, example: 1) == 3)
        #expect(arguments.has("--quick"))
        #expect(!arguments.has("--no-plot"))
    }

    @Test func buildsMatrixOptionsFromLists() throws {
        let arguments = try Arguments(
            ["--workload", "xor,sleep", "--model", "thread,async", "--workers", "1,2,4,2", "--iterations", "1_000"],
            accepting: specs)
        let options = try MatrixFlags.options(from: arguments)
        #expect(options.workloads == ["xor", "sleep"])
        #expect(options.models == ["thread", "async"])
        #expect(options.workers == [1, 2, 4])
        #expect(options.parameterValues["iterations"] == [.number(1_000)])
        #expect(options.parameterValues["sleep-ms"] == nil, "a parameter not given keeps its declared default")
    }

    @Test func aCommaListOfAParameterScansIt() throws {
        let arguments = try Arguments(
            ["--workload", "xor,sleep", "--model", "serial,thread", "--workers", "2", "--iterations", "1000,4000", "--sleep-ms", "1,2,3"],
            accepting: specs)
        let plan = try MatrixPlan(MatrixFlags.options(from: arguments))
        let xor = plan.cells.filter { $0.workload == "xor" }
        #expect(Set(xor.map { $0.parameters["iterations"] }) == [.number(1000), .number(4000)])
        #expect(xor.count == 2 * 2, "serial and thread at each value")
        #expect(plan.cells.filter { $0.workload == "sleep" }.count == 3 * 2)
        // A cell's identity holds only its own workload's parameters.
        #expect(xor.allSatisfy { $0.parameters.names == ["iterations"] })
        #expect(plan.cells.filter { $0.workload == "sleep" }.allSatisfy { $0.parameters.names == ["sleep-ms"] })
        #expect(Set(plan.cells.map(\.label)).count == plan.cells.count, "labels tell every cell apart")
    }

    @Test func aParameterOfNoSelectedWorkloadIsWarnedAbout() throws {
        let arguments = try Arguments(["--workload", "xor", "--sleep-ms", "5"], accepting: specs)
        let plan = try MatrixPlan(MatrixFlags.options(from: arguments))
        #expect(plan.unusedParameters == ["sleep-ms"])
    }

    @Test func quickChangesDefaultsButExplicitFlagsWin() throws {
        let quick = try MatrixFlags.options(from: Arguments(["--quick"], accepting: specs))
        #expect(quick.workers == MatrixOptions.quickWorkers)
        #expect(quick.runs == .fixed(MatrixOptions.quickRuns))
        let explicit = try MatrixFlags.options(from: Arguments(["--quick", "--runs", "7"], accepting: specs))
        #expect(explicit.runs == .fixed(7))
    }

    /// The default matrix samples until its intervals are within ±2%; the bounds and the margin are read as percentages.
    @Test func runsAutoIsTheDefaultAndItsBoundsAreRead() throws {
        let defaults = try MatrixFlags.options(from: Arguments([], accepting: specs))
        #expect(defaults.runs == .auto && defaults.sampling.precision == 0.02 && defaults.margin == 0.02)
        let chosen = try MatrixFlags.options(from: Arguments(
            ["--runs", "auto", "--precision", "5%", "--max-runs", "6", "--budget", "30", "--margin", "0"], accepting: specs))
        #expect(chosen.runs == .auto && chosen.sampling.precision == 0.05 && chosen.sampling.maxRuns == 6)
        #expect(chosen.sampling.budgetSeconds == 30 && chosen.margin == 0)
        #expect(try MatrixFlags.options(from: Arguments(["--precision", "50"], accepting: specs)).sampling.precision == 0.5)
    }

    @Test(arguments: [
        (["--tasks", "abc"], "--tasks expects a whole number"),
        (["--tasks", "0"], "--tasks expects a whole number"),
        (["--workers", "1,,2"], "--workers expects whole numbers"),
        (["--workload", "xo"], "unknown workload 'xo'"),
        (["--model", "fibers"], "unknown model 'fibers'"),
        (["--timeout", "-1"], "--timeout expects a number of seconds"),
        (["--wrokers", "2"], "did you mean --workers?"),
        (["--runs"], "--runs needs a value"),
        (["--quick=yes"], "--quick takes no value"),
        (["--quick="], "--quick takes no value"),
        (["--tasks=", "--quick"], "--tasks expects a whole number"),
        (["--iterations", "0"], "--iterations expects a whole number from 1 to 2147483647"),
        (["--sleep-ms", "ten"], "--sleep-ms expects a whole number from 0 to 3600000"),
        (["--http-bytes", "1,-2"], "--http-bytes expects a whole number from 0 to 268435456"),
        (["--sink", "printer"], "--sink 'printer' is not one of the choices"),
        (["--http-url", "ftp://127.0.0.1:1/"], "--http-url 'ftp://127.0.0.1:1/' must start with http://"),
        (["--processes", "0"], "--processes expects whole numbers"),
        (["--start-method", "vfork"], "--start-method 'vfork' is not one of the choices"),
        (["--runs", "some"], "--runs expects auto or a whole number from 1 to 10000"),
        (["--precision", "0"], "--precision '0' is outside (0, 50]%"),
        (["--precision", "50.5"], "--precision '50.5' is outside (0, 50]%"),
        (["--precision", "-1"], "--precision '-1' is outside (0, 50]%"),
        (["--margin", "50"], "--margin '50' is outside [0, 50)%"),
        (["--margin", "-0.1"], "--margin '-0.1' is outside [0, 50)%"),
        (["--runs", "auto", "--max-runs", "5"], "--max-runs expects a whole number from 6 to 10000"),
        (["--runs", "5", "--precision", "2"], "--precision applies to --runs auto only"),
    ])
    func rejectsBadInputWithAUsageError(words: [String], message: String) throws {
        do {
            let arguments = try Arguments(words, accepting: specs)
            _ = try MatrixPlan(MatrixFlags.options(from: arguments))
            Issue.record("expected a usage error for \(words)")
        } catch let error as any ReportableError {
            #expect(error.exitCode == .usage)
            #expect(error.description.contains(message), "\(error.description)")
            #expect(error.description.contains(" — "), "an error says how to fix it: \(error.description)")
        }
    }

    @Test func labelsMustBePlainNames() throws {
        #expect(try Invocation.checkLabel("laptop-2_x.1") == "laptop-2_x.1")
        #expect(throws: BenchError.self) { try Invocation.checkLabel("../etc") }
        #expect(throws: BenchError.self) { try Invocation.checkLabel("") }
        #expect(throws: BenchError.self) { try Invocation.checkLabel(String(repeating: "x", count: 300)) }
        #expect(throws: BenchError.self) { try Invocation.checkRoot("") }
    }

    @Test func suggestsTheNearestOption() {
        #expect(Arguments.editDistance("--wrokers", "--workers") == 2)
        #expect(Arguments.editDistance("", "abc") == 3)
    }
}
