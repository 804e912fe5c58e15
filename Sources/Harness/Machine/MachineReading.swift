import Foundation
import Glibc
import Platform

/// One look at the machine through /proc: the CPU counters of /proc/stat,
/// the run queue and load average of /proc/loadavg, and every process's CPU
/// time, split into bench's own processes (this one and its descendants) and
/// the others.
struct MachineReading {
    /// Monotonic seconds when it was taken.
    let time: Double
    /// /proc/stat's first line, in clock ticks.
    let cpu: CPUCounters
    /// Runnable tasks (threads) on the whole machine, /proc/loadavg's fourth field.
    let runnable: Int
    let loadAverage: Double
    /// Runnable threads of bench's own processes.
    let ownRunnable: Int
    /// Clock ticks of user + system time of bench and its descendants, their
    /// reaped children included: what the other processes did not use.
    let ownTicks: Int
    /// Every process that is not bench's own, by pid and start time (a reused pid is another process).
    let others: [ProcessKey: ProcessTicks]

    /// The aggregate CPU counters of /proc/stat, in clock ticks.
    struct CPUCounters {
        /// user, nice, system: time spent running processes. Interrupt time is
        /// left out: bench's own loopback traffic is served there and is in no
        /// process's own time, so it would count as another process's.
        let busy: Int
        /// Time a hypervisor gave this VM's CPUs to someone else.
        let steal: Int
        /// Every counter, idle and iowait included (guest time is already in user).
        let total: Int
    }

    struct ProcessKey: Hashable {
        let pid: Int32
        /// Clock ticks after boot when it started.
        let start: Int
    }

    struct ProcessTicks {
        let command: String
        /// user + system of the process itself (not of the children it reaped:
        /// init reaps every orphan, and would look the busiest of all).
        let ticks: Int
    }

    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// Reads the machine now; nil where /proc is not there to read.
    static func now(ownPID: Int32 = getpid()) -> MachineReading? {
        guard let stat = ProcFile.read("/proc/stat"), let cpu = parseCPU(stat),
              let loadText = ProcFile.read("/proc/loadavg") else { return nil }
        let loadFields = loadText.split(separator: " ")
        let runnable = loadFields.count > 3 ? Int(loadFields[3].split(separator: "/").first ?? "") ?? 0 : 0
        var processes: [Int32: ProcessStat] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(name), let text = ProcFile.read("/proc/\(name)/stat"), let process = ProcessStat(text) else { continue }
            processes[pid] = process
        }
        let own = ownProcesses(processes, root: ownPID)
        var others: [ProcessKey: ProcessTicks] = [:]
        for (pid, process) in processes where !own.contains(pid) {
            others[ProcessKey(pid: pid, start: process.start)] = ProcessTicks(command: process.command, ticks: process.ownTicks)
        }
        return MachineReading(
            time: MonotonicClock.seconds(since: 0), cpu: cpu, runnable: runnable,
            loadAverage: Double(loadFields.first ?? "") ?? 0,
            ownRunnable: own.reduce(0) { $0 + runnableThreads(of: $1) },
            ownTicks: own.reduce(0) { $0 + (processes[$1]?.ticks ?? 0) }, others: others)
    }

    /// `cpu  user nice system idle iowait irq softirq steal guest guest_nice`.
    static func parseCPU(_ stat: String) -> CPUCounters? {
        guard let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let values = line.split(separator: " ").dropFirst().compactMap { Int($0) }
        guard values.count >= 8 else { return nil }
        let busy = values[0] + values[1] + values[2]
        return CPUCounters(busy: busy, steal: values[7], total: values.prefix(8).reduce(0, +))
    }

    /// `root` and every process whose parents lead to it.
    static func ownProcesses(_ processes: [Int32: ProcessStat], root: Int32) -> Set<Int32> {
        var own: Set<Int32> = [root]
        var changed = true
        while changed {
            changed = false
            for (pid, process) in processes where !own.contains(pid) && own.contains(process.parent) {
                own.insert(pid)
                changed = true
            }
        }
        return own
    }

    /// Threads of `pid` in state R (running or ready to run).
    static func runnableThreads(of pid: Int32) -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.filter { ProcFile.read("/proc/\(pid)/task/\($0)/stat").flatMap(ProcessStat.init)?.state == "R" }.count
    }

    /// The fields of /proc/<pid>/stat that matter here.
    struct ProcessStat {
        let command: String
        let state: Character
        let parent: Int32
        /// utime + stime + cutime + cstime, in clock ticks.
        let ticks: Int
        /// utime + stime alone.
        let ownTicks: Int
        let start: Int

        /// `pid (comm) state ppid ...`: the command may hold spaces and
        /// parentheses, so the fields are counted from the last `)`.
        init?(_ text: String) {
            guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") else { return nil }
            let rest = text[text.index(after: close)...].split(separator: " ")
            guard rest.count > 19, let state = rest[0].first, let parent = Int32(rest[1]),
                  let user = Int(rest[11]), let system = Int(rest[12]), let childUser = Int(rest[13]), let childSystem = Int(rest[14]),
                  let start = Int(rest[19]) else { return nil }
            command = String(text[text.index(after: open)..<close])
            self.state = state
            self.parent = parent
            ticks = user + system + childUser + childSystem
            ownTicks = user + system
            self.start = start
        }
    }
}
