import Broker
import Engine
import Foundation
import Glibc
import Platform

/// The `bench-worker --broker` processes bench spawns for one sample of the
/// distributed model, as the process pool spawns its workers: in bench's
/// process group, Ctrl-C and SIGTERM blocked (bench decides when they
/// stop), standard input a lifeline that ends them when bench goes, the
/// broker's password in their environment and never on their command line.
final class LocalWorkers {
    private(set) var processes: [ChildProcess] = []
    /// Indices of workers already reported dead.
    private var reported: Set<Int> = []
    private var lifeline: (read: Int32, write: Int32)

    init(count: Int, broker: BrokerAddress, sample: String) throws {
        let executable = try HelperExecutable.resolve()
        lifeline = try FileDescriptor.makePipe()
        var environment = ProcessInfo.processInfo.environment
        environment[BrokerAddress.passwordVariable] = broker.password
        let entries = environment.map { "\($0.key)=\($0.value)" }
        do {
            for index in 0..<count {
                processes.append(try ChildProcess(
                    executable: executable,
                    arguments: HelperExecutable.arguments([DistributedWorker.flag, broker.url, "--sample", sample, "--index", String(index)]),
                    standardInput: lifeline.read, captureStandardError: false, environment: entries, ownGroup: false,
                    blockedSignals: Signals.stopSignals))
            }
        } catch {
            stopAll()
            throw error
        }
    }

    deinit {
        stopAll()
    }

    var pids: [Int32] { processes.map(\.pid) }

    /// Workers that have ended since the last call: index, pid and how.
    func newlyEnded() -> [(index: Int, pid: Int32, status: ExitStatus)] {
        var ended: [(Int, Int32, ExitStatus)] = []
        for (index, process) in processes.enumerated() where !reported.contains(index) && process.hasEnded() {
            reported.insert(index)
            ended.append((index, process.pid, process.wait().status))
        }
        return ended
    }

    /// SIGKILLs worker `index` (fault injection).
    func kill(_ index: Int) {
        guard processes.indices.contains(index) else { return }
        processes[index].signal(SIGKILL)
    }

    /// Waits until `deadline` for every worker to exit by itself, then kills and reaps the rest.
    func reap(until deadline: UInt64) {
        for process in processes {
            _ = process.wait(until: deadline)
        }
        closeLifeline()
    }

    /// Kills and reaps every worker still there; bounded (SIGKILL cannot be caught).
    func stopAll() {
        closeLifeline()
        for process in processes { process.signal(SIGKILL) }
        for process in processes { process.wait() }
    }

    private func closeLifeline() {
        FileDescriptor.close(lifeline.read)
        FileDescriptor.close(lifeline.write)
        lifeline = (-1, -1)
    }
}
