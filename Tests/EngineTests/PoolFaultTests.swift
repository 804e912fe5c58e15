import Dispatch
import Foundation
import Glibc
import Testing
import Workloads
@testable import Engine
@testable import LocalHTTP
import Platform
import TestSupport

/// Workers that die, hang, misbehave or lose their parent: each run fails
/// with one clear line within a bounded time, and no process is left behind.
/// Timings here are loose on purpose (a shared, noisy 2-core machine).
@Suite("Pool faults", .serialized)
struct PoolFaultTests {
    static func configuration(
        sleepMilliseconds: Int, tasks: Int, processes: Int, threads: Int = 1, timeout: Double = 60,
        executable: String? = nil, startMethod: StartMethod = .spawn, observer: (@Sendable (PoolEvent) -> Void)? = nil
    ) -> PoolConfiguration {
        useBuiltBenchForWorkers()
        return PoolConfiguration(
            workloadName: "sleep", parameters: "sleep-ms=\(sleepMilliseconds)", tasks: tasks, processes: processes,
            mode: .threads(threads), assignment: .chunks(size: 1), timeoutSeconds: timeout, startMethod: startMethod,
            executable: executable, observer: observer)
    }

    /// Whether a worker is gone for good: reaped by us when we spawned it,
    /// collected by the fork server (no process left at all) when it forked it.
    static func isCollected(_ pid: Int32, _ method: StartMethod) -> Bool {
        method == .spawn ? ProcessTable.isReaped(pid) : ProcessTable.state(pid) == nil
    }

    /// Runs the pool off the cooperative pool; returns its error (or nil) and
    /// the seconds it took, timed on the thread that ran it: resuming the test
    /// afterwards waits for a cooperative thread, which the suite's other tests
    /// can keep busy for seconds.
    static func runExpectingFailure(_ configuration: PoolConfiguration) async throws -> (PoolError?, Double) {
        try await offCooperativePool {
            var attempts = 0
            while true {
                let start = MonotonicClock.now()
                do {
                    _ = try WorkerPool.run(configuration)
                    return (nil, MonotonicClock.seconds(since: start))
                } catch let PoolError.spawnFailed(_, _, code) where code == ETXTBSY && attempts < 50 {
                    // A fake worker script just written: a process another test spawned at that
                    // moment may still hold its write descriptor until it execs. Not bench's doing.
                    attempts += 1
                    usleep(20_000)
                } catch let error as PoolError {
                    return (error, MonotonicClock.seconds(since: start))
                }
            }
        }
    }

    /// Remembers the pids an observer saw.
    final class Pids: @unchecked Sendable {
        private let lock = NSLock()
        private var value: [Int32] = []
        var all: [Int32] {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
    }

    @Test(arguments: StartMethod.allCases)
    func killedWorkerFailsTheRunAndEveryWorkerIsReaped(startMethod: StartMethod) async throws {
        let pids = Pids()
        // 5 s tasks: had the run gone on, it would take at least 5 s.
        let configuration = Self.configuration(sleepMilliseconds: 5_000, tasks: 8, processes: 4, startMethod: startMethod) { event in
            guard case let .ready(ready) = event else { return }
            pids.all = ready
            // A thread of its own: Dispatch's global threads may all be busy with other tests.
            let victim = ready[1]
            Thread.detachNewThread { usleep(300_000); _ = kill(victim, SIGKILL) }
        }
        let (error, seconds) = try await Self.runExpectingFailure(configuration)
        let failure = try #require(error)
        guard case let .workerDied(index, pid, status, _) = failure else {
            Issue.record("expected a dead worker, got \(failure)")
            return
        }
        #expect(index == 1)
        #expect(pid == pids.all[1])
        #expect(status == .signaled(SIGKILL, coreDumped: false))
        let line = failure.description
        #expect(line.contains("worker 1 (pid \(pid)) was killed by SIGKILL"), "\(line)")
        #expect(!line.contains("\n"))
        #expect(line.contains(" — "))
        #expect(seconds < 4.5, "a dead worker fails the run promptly, took \(seconds) s")
        #expect(pids.all.count == 4)
        for pid in pids.all {
            #expect(Self.isCollected(pid, startMethod), "worker \(pid) left as a zombie or still running")
        }
    }

    @Test(arguments: StartMethod.allCases)
    func hungWorkersAreStoppedByTheTimeout(startMethod: StartMethod) async throws {
        let pids = Pids()
        let configuration = Self.configuration(
            sleepMilliseconds: 30_000, tasks: 4, processes: 2, threads: 2, timeout: 1, startMethod: startMethod
        ) { event in
            if case let .spawned(spawned) = event { pids.all = spawned }
        }
        let (error, seconds) = try await Self.runExpectingFailure(configuration)
        let failure = try #require(error)
        guard case .timedOut = failure else {
            Issue.record("expected a timeout, got \(failure)")
            return
        }
        #expect(failure.description.contains("did not finish within --timeout 1 s"), "\(failure)")
        #expect(seconds >= 0.9 && seconds < 5, "took \(seconds) s")
        for pid in pids.all {
            #expect(Self.isCollected(pid, startMethod))
        }
    }

    @Test(arguments: StartMethod.allCases)
    func workersIgnoreCtrlCAndSIGTERM(startMethod: StartMethod) async throws {
        // Ctrl-C reaches the whole process group, and so does GNU timeout's SIGTERM; only the parent decides.
        let configuration = Self.configuration(sleepMilliseconds: 100, tasks: 6, processes: 3, startMethod: startMethod) { event in
            if case let .ready(pids) = event {
                for pid in pids {
                    kill(pid, SIGINT)
                    kill(pid, SIGTERM)
                }
            }
        }
        let run = try await offCooperativePool { try WorkerPool.run(configuration) }
        #expect(run.checksum.taskCount == 6)
    }

    @Test func aWorkerThatIsNotBenchIsReportedClearly() async throws {
        let configuration = Self.configuration(sleepMilliseconds: 1, tasks: 4, processes: 2, executable: "/bin/false")
        let (error, seconds) = try await Self.runExpectingFailure(configuration)
        let line = try #require(error).description
        #expect(line.contains("exited with status 1 before it was ready"), "\(line)")
        #expect(seconds < 10)
        let missing = Self.configuration(sleepMilliseconds: 1, tasks: 4, processes: 2, executable: "/nonexistent/bench")
        let (spawnError, _) = try await Self.runExpectingFailure(missing)
        #expect(spawnError?.description.contains("cannot start worker 0 from /nonexistent/bench") == true)
    }

    @Test func aWorkerThatCannotBuildItsWorkloadSaysWhy() async throws {
        var configuration = Self.configuration(sleepMilliseconds: 1, tasks: 4, processes: 2)
        configuration.workloadName = "xor"
        configuration.parameters = "iterations=0"
        let (error, _) = try await Self.runExpectingFailure(configuration)
        let line = try #require(error).description
        #expect(line.contains("failed: --iterations expects a whole number from 1 to"), "\(line)")
        #expect(line.hasPrefix("worker "))
    }

    /// A fake worker: a shell script that writes `bytes` (as printf escapes) on fd 4, then idles or exits.
    static func fakeWorker(printf escapes: String, then tail: String, in folder: TemporaryFolder) throws -> String {
        let path = folder.url.appendingPathComponent("fake-worker.sh").path
        try "#!/bin/sh\nprintf '\(escapes)' >&4\n\(tail)\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    @Test func garbageFromAWorkerIsAnErrorNotACrash() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let garbage = try Self.fakeWorker(printf: "hello from a broken worker", then: "exec sleep 30", in: folder)
        let (error, seconds) = try await Self.runExpectingFailure(
            Self.configuration(sleepMilliseconds: 1, tasks: 4, processes: 1, executable: garbage))
        let line = try #require(error).description
        #expect(line.contains("broke the pool protocol: bad frame magic"), "\(line)")
        #expect(seconds < 10, "the sleeping fake worker was killed, not waited for")

        // A valid `ready` header whose frame is cut short, then exit 0.
        let truncated = try Self.fakeWorker(printf: "\\276\\001\\020\\000\\005\\000", then: "exit 0", in: folder)
        let (cut, _) = try await Self.runExpectingFailure(
            Self.configuration(sleepMilliseconds: 1, tasks: 4, processes: 1, executable: truncated))
        #expect(cut?.description.contains("exited without its final report") == true, "\(String(describing: cut))")
    }

    @Test func aCrashedWorkerIsNamedWithItsSignal() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let crashing = try Self.fakeWorker(printf: "", then: "kill -SEGV $$", in: folder)
        let (error, _) = try await Self.runExpectingFailure(
            Self.configuration(sleepMilliseconds: 1, tasks: 4, processes: 2, executable: crashing))
        let line = try #require(error).description
        #expect(line.contains("was killed by SIGSEGV (signal 11) before it was ready"), "\(line)")
        #expect(line.contains("a crash in a worker"), "\(line)")
    }

    @Test func garbageToAWorkerIsReportedAndItExits() throws {
        useBuiltBenchForWorkers()
        let worker = try WorkerProcess.spawn(executable: BenchBinary.workerURL.path, index: 7)
        var bytes = Array("definitely not a frame".utf8)
        _ = bytes.withUnsafeMutableBytes { write(worker.commandFD, $0.baseAddress, $0.count) }
        var decoder = FrameDecoder<WorkerMessage>()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var messages: [WorkerMessage] = []
        // The result pipe is blocking: read until the worker's exit closes it.
        while case let .bytes(count) = buffer.withUnsafeMutableBytes({ FileDescriptor.readSome(worker.resultFD, into: $0) }) {
            decoder.append(Array(buffer[0..<count]))
            while let message = try decoder.next() { messages.append(message) }
        }
        let exit = worker.reap(deadline: MonotonicClock.now() + 5_000_000_000)
        #expect(exit.status == .exited(1))
        guard case let .failure(text) = messages.last else {
            Issue.record("expected a failure report, got \(messages)")
            return
        }
        #expect(text.contains("bad frame magic"), "\(text)")
    }

    @Test(arguments: StartMethod.allCases)
    func workersDoNotOutliveAKilledParent(startMethod: StartMethod) throws {
        // A real bench run with long tasks; SIGKILL it (no cleanup can run) and
        // watch its workers (and the fork server) go by themselves.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let process = try Spawned(BenchBinary.url, [
            "run", "--workload", "sleep", "--model", "hybrid", "--processes", "2", "--workers", "2",
            "--sleep-ms", "20000", "--tasks", "8", "--runs", "1", "--warmup", "0", "--out", folder.url.path, "--no-plot",
            "--start-method", startMethod.rawValue,
        ])
        let parent = process.pid
        // Spawned workers are bench's children; forked ones the fork server's, which is bench's child.
        let expected = startMethod == .spawn ? 2 : 3
        var processes: [Int32] = []
        let started = ProcessTable.eventually(within: 20) {
            processes = ProcessTable.descendants(of: parent)
            return processes.count == expected
        }
        #expect(started, "the run never started its \(expected) processes: \(processes)")
        kill(parent, SIGKILL)
        _ = process.wait()
        let gone = ProcessTable.eventually(within: 5) { processes.allSatisfy(ProcessTable.hasExited) }
        #expect(gone, "\(processes) outlived their parent")
        for pid in processes where !ProcessTable.hasExited(pid) {
            kill(pid, SIGKILL)
        }
    }
}
