import Testing
@testable import Bench

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
        #expect(options.models == [.thread, .async])
        #expect(options.workers == [1, 2, 4])
        #expect(options.parameters.iterations == 1_000)
    }

    @Test func quickChangesDefaultsButExplicitFlagsWin() throws {
        let quick = try MatrixFlags.options(from: Arguments(["--quick"], accepting: specs))
        #expect(quick.workers == MatrixOptions.quickWorkers)
        #expect(quick.runs == MatrixOptions.quickRuns)
        let explicit = try MatrixFlags.options(from: Arguments(["--quick", "--runs", "7"], accepting: specs))
        #expect(explicit.runs == 7)
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
    ])
    func rejectsBadInputWithAUsageError(words: [String], message: String) throws {
        do {
            let arguments = try Arguments(words, accepting: specs)
            _ = try MatrixFlags.options(from: arguments)
            Issue.record("expected a usage error for \(words)")
        } catch let error as BenchError {
            #expect(error.exitCode == .usage)
            #expect(error.description.contains(message), "\(error.description)")
            #expect(error.description.contains(" — "), "an error says how to fix it: \(error.description)")
        }
    }

    @Test func labelsMustBePlainNames() throws {
        #expect(try RunCommand.runLabel("laptop-2_x.1") == "laptop-2_x.1")
        #expect(throws: BenchError.self) { try RunCommand.runLabel("../etc") }
        #expect(throws: BenchError.self) { try RunCommand.runLabel("") }
    }

    @Test func suggestsTheNearestOption() {
        #expect(Arguments.editDistance("--wrokers", "--workers") == 2)
        #expect(Arguments.editDistance("", "abc") == 3)
    }
}
