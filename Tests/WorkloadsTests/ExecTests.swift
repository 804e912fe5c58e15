import Testing
@testable import Workloads
import Platform

/// The exec workload: its words as sh (and Python's shlex) would split them,
/// its program found before anything runs, and a failing program's reason.
@Suite("exec workload")
struct ExecTests {
    @Test(arguments: [
        ("gzip -c big.file", ["gzip", "-c", "big.file"]),
        ("  a\tb\n c  ", ["a", "b", "c"]),
        ("printf '%s %s' x y", ["printf", "%s %s", "x", "y"]),
        (#"echo "a \"b\" \c \\""#, ["echo", #"a "b" \c \"#]),
        (#"a\ b c\'d"#, ["a b", "c'd"]),
        ("x '' \"\" y", ["x", "", "", "y"]),
        ("a'b'\"c\"d", ["abcd"]),
        ("échec {task}", ["échec", "{task}"]),
        ("", []),
    ])
    func splitsAsShlexDoes(text: String, words: [String]) throws {
        #expect(try CommandWords.split(text) == words)
    }

    @Test func unsplittableCommandsAreUsageErrors() {
        #expect(throws: CommandWords.Problem.unclosedQuote("'")) { try CommandWords.split("echo 'x") }
        #expect(throws: CommandWords.Problem.unclosedQuote("\"")) { try CommandWords.split("echo \"x") }
        #expect(throws: CommandWords.Problem.trailingBackslash) { try CommandWords.split("echo x\\") }
        for command in ["echo 'x", "", "   "] {
            do {
                _ = try ExecWorkload(command: command)
                Issue.record("'\(command)' was accepted")
            } catch let error as WorkloadError {
                #expect(error.exitCode == .usage)
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func aMissingProgramIsNamedBeforeAnythingRuns() {
        for (command, name) in [("no-such-program-here -v", "'no-such-program-here'"), ("./nope/run.sh", "./nope/run.sh")] {
            do {
                _ = try ExecWorkload(command: command)
                Issue.record("\(command) was accepted")
            } catch let error as WorkloadError {
                #expect(error.exitCode == .usage)
                #expect(error.what.contains(name), "\(error)")
            } catch {
                Issue.record("\(error)")
            }
        }
        #expect(ProgramSearch.find("sh")?.hasSuffix("/sh") == true)
        #expect(ProgramSearch.find("sh", path: "::/nonexistent") == nil, "empty PATH entries are not the current folder")
    }

    @Test func eachTaskCountsWhatItsProgramPrinted() async throws {
        let workload = try ExecWorkload(command: "printf 'task %s;' {task}")
        #expect(try workload.run(task: 7) == UInt64("task 7;".utf8.count))
        #expect(try workload.run(task: 1234) == UInt64("task 1234;".utf8.count))
        #expect(try await workload.runAsync(task: 56) == UInt64("task 56;".utf8.count))
        #expect(workload.expectedResult(task: 0) == nil, "only a run can tell")
    }

    @Test func aFailingProgramFailsItsTaskWithStatusAndFirstErrorLine() throws {
        let workload = try ExecWorkload(command: #"sh -c "echo 'bad input' >&2; echo more >&2; exit 3""#)
        do {
            _ = try workload.run(task: 2)
            Issue.record("the task did not fail")
        } catch let error as WorkloadError {
            #expect(error.what.contains("exec task 2"))
            #expect(error.what.contains("exited with status 3"))
            #expect(error.what.hasSuffix(": bad input"), "\(error.what)")
            #expect(error.exitCode == .runFailed)
        }
    }
}
