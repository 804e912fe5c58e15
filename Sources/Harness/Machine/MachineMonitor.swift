import Foundation
import Platform

/// Watches how busy the machine is before and during an invocation's
/// measuring, from /proc only: the load average, CPU steal (a hypervisor
/// giving this VM's CPUs away), and the CPU of processes that are not bench's
/// own. It reads the machine when the invocation starts, again just before
/// the first sample (the "before" window, at least `beforeSeconds` long), at
/// most once a second between samples, and at the end; never during a sample.
public final class MachineMonitor: @unchecked Sendable {
    /// The shortest "before" window: /proc/stat counts in hundredths of a second.
    static let beforeSeconds = 0.2
    static let tickSeconds = 1.0

    private let start: MachineReading?
    private var beforeEnd: MachineReading?
    private var latest: MachineReading?
    private var otherRunnable: [Int] = []
    private var loadAverageMax = 0.0
    /// CPU ticks of each other process: when first and last seen during the measuring.
    private var others: [MachineReading.ProcessKey: (command: String, first: Int, last: Int)] = [:]
    private let cores: Int

    public init(cores: Int = max(1, CPUAffinity.allowed().count)) {
        self.cores = cores
        start = MachineReading.now()
    }

    /// Ends the "before" window (waiting for the rest of its shortest length):
    /// call it right before the first sample.
    public func measuringStarts() {
        if let start {
            let waited = MonotonicClock.seconds(since: 0) - start.time
            if waited < Self.beforeSeconds { usleep(UInt32((Self.beforeSeconds - waited) * 1e6)) }
        }
        beforeEnd = MachineReading.now()
        if let beforeEnd { observe(beforeEnd, seedOthers: true) }
    }

    /// Between samples: a reading when a second has passed since the last one.
    public func tick() {
        guard let previous = latest ?? beforeEnd, MonotonicClock.seconds(since: 0) - previous.time >= Self.tickSeconds,
              let reading = MachineReading.now() else { return }
        observe(reading, seedOthers: false)
    }

    private func observe(_ reading: MachineReading, seedOthers: Bool) {
        latest = reading
        // The reading that opens the measuring belongs to the "before" window.
        if !seedOthers { otherRunnable.append(max(0, reading.runnable - reading.ownRunnable)) }
        loadAverageMax = max(loadAverageMax, reading.loadAverage)
        for (key, process) in reading.others {
            if let seen = others[key] {
                others[key] = (seen.command, seen.first, process.ticks)
            } else {
                // Running when measuring began: only what it adds counts. First seen later
                // (a pid and start time never seen before): it started during the measuring, all of it counts.
                others[key] = (process.command, seedOthers ? process.ticks : 0, process.ticks)
            }
        }
    }

    /// The "before" window alone, once `measuringStarts` has closed it.
    public var beforeLoad: MachineLoad? {
        guard let start, let beforeEnd else { return nil }
        let before = beforeWindow(start, beforeEnd)
        return MachineLoad(
            cores: cores, loadAverageStart: start.loadAverage, loadAverageMax: beforeEnd.loadAverage, before: before,
            during: MachineLoad.Window(seconds: 0, otherCPUCores: 0, otherRunnable: 0, stealPercent: 0), busiestOthers: [])
    }

    /// The window from the invocation's start to the first sample; its runnable
    /// threads are the mean of its two readings (one alone catches a passing `ps`).
    private func beforeWindow(_ start: MachineReading, _ end: MachineReading) -> MachineLoad.Window {
        let runnable = [start, end].map { Double(max(0, $0.runnable - $0.ownRunnable)) }
        return MachineLoad.Window(from: start, to: end, otherRunnable: runnable.reduce(0, +) / 2)
    }

    /// What the monitor saw, and whether the run was disturbed.
    public func finish() -> MachineLoad? {
        guard let start, let beforeEnd, let end = MachineReading.now() else { return nil }
        observe(end, seedOthers: false)
        let before = beforeWindow(start, beforeEnd)
        let during = MachineLoad.Window(
            from: beforeEnd, to: end,
            otherRunnable: otherRunnable.isEmpty ? 0 : Double(otherRunnable.reduce(0, +)) / Double(otherRunnable.count))
        let busiest = others.values.map { ($0.command, Double($0.last - $0.first) / MachineReading.ticksPerSecond) }
            .filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }.prefix(5)
        return MachineLoad(
            cores: cores, loadAverageStart: start.loadAverage, loadAverageMax: max(loadAverageMax, end.loadAverage),
            before: before, during: during,
            busiestOthers: busiest.map { MachineLoad.OtherProcess(command: $0.0, cpuSeconds: ($0.1 * 100).rounded() / 100) })
    }
}
