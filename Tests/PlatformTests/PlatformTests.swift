import Glibc
import Testing
@testable import Platform

/// The system primitives every layer builds on, each written once here.
@Suite("Platform")
struct PlatformTests {
    @Test func pipesAreCloseOnExecAndAboveTheWorkersFixedNumbers() throws {
        let pipe = try FileDescriptor.makePipe()
        defer {
            FileDescriptor.close(pipe.read)
            FileDescriptor.close(pipe.write)
        }
        #expect(pipe.read >= 10 && pipe.write >= 10)
        #expect(fcntl(pipe.read, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(pipe.write, F_GETFD) & FD_CLOEXEC != 0)
        #expect(FileDescriptor.writeAll(pipe.write, "two\nlines\n") == nil)
        FileDescriptor.close(pipe.write)
        #expect(FileDescriptor.readLine(pipe.read, milliseconds: 1_000) == "two")
        #expect(FileDescriptor.readLine(pipe.read, milliseconds: 1_000) == "lines")
        #expect(FileDescriptor.readLine(pipe.read, milliseconds: 1_000) == nil, "end of file")
    }

    @Test func aChildsExitStatusStandardErrorAndDeadlineAreReported() throws {
        let failing = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "echo oops >&2; exit 3"])
        #expect(failing.wait().status == .exited(3))
        #expect(failing.standardError() == "oops\n")

        // Its own group, killed whole at the deadline: the shell and the sleep it started.
        let start = MonotonicClock.now()
        let hung = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "sleep 30; true"])
        #expect(hung.wait(until: MonotonicClock.deadline(afterSeconds: 0.3)) == nil)
        #expect(MonotonicClock.seconds(since: start) < 10)

        #expect(throws: SpawnError.self) { try ChildProcess(executable: "/nonexistent/program", arguments: []) }
    }

    @Test func exitStatusWordsReadAsPOSIXDefines() {
        #expect(ExitStatus(waitStatus: 3 << 8) == .exited(3))
        #expect(ExitStatus(waitStatus: SIGKILL) == .signaled(SIGKILL, coreDumped: false))
        #expect(ExitStatus(waitStatus: SIGSEGV | 0x80).description == "was killed by SIGSEGV (signal 11), core dumped")
    }

    @Test func errorsSayWhatAndHowToFixOnOneLine() {
        let error = SystemCallError("cannot create a pipe", errno: EMFILE)
        #expect(error.description == "cannot create a pipe: Too many open files — check the process and file limits (ulimit -u, ulimit -n)")
        #expect(oneLine(BenchError.io("cannot write x", errno: ENOSPC)) == "cannot write x: No space left on device — the disk is full: free some space or choose another --out")
        #expect(BenchError.usage("bad", fix: "good").exitCode == .usage)
    }

    @Test func aMissingWorkerProgramIsNamedWithTheBuildCommand() {
        HelperExecutable.override = "/nonexistent/bench-worker"
        defer { HelperExecutable.override = nil }
        #expect {
            try HelperExecutable.resolve()
        } throws: { error in
            let text = (error as? MissingHelperError)?.description ?? ""
            return text.contains("/nonexistent/bench-worker is missing or not executable") && text.contains(HelperExecutable.buildCommand)
        }
    }

    @Test func theSeededGeneratorRepeatsItself() {
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        #expect((0..<5).map { _ in first.next() } == (0..<5).map { _ in second.next() })
        #expect(mix(1) != mix(2))
    }
}
