import Foundation

/// How busy the machine was before and during a run's measuring, as
/// meta.json records it, and whether that disturbed the run.
///
/// A run is disturbed when, before or during its measuring, other processes
/// kept more than half the cores busy (their CPU, or their runnable threads
/// between samples, a load average of everything but bench), or the
/// hypervisor stole more than 5% of the CPU time. bench's own load does not
/// count: its thread and process cells raise the load average themselves,
/// and a build that just finished raises the one-minute load average for a
/// minute after the machine has gone quiet (both are recorded all the same).
public struct MachineLoad: Codable, Sendable, Equatable {
    public static let stealLimitPercent = 5.0

    public let cores: Int
    public let loadAverageStart: Double
    /// The highest one-minute load average read during the run (bench's own load included).
    public let loadAverageMax: Double
    public let before: Window
    public let during: Window
    /// The other processes that used the most CPU while measuring.
    public let busiestOthers: [OtherProcess]

    /// One stretch of time between two readings.
    public struct Window: Codable, Sendable, Equatable {
        public let seconds: Double
        /// Cores kept busy by processes that are not bench's own, on average.
        public let otherCPUCores: Double
        /// Runnable threads of other processes: at the window's end ("before"),
        /// or the mean of the readings between samples ("during").
        public let otherRunnable: Double
        public let stealPercent: Double

        init(from start: MachineReading, to end: MachineReading, otherRunnable: Double) {
            let seconds = max(end.time - start.time, 1e-9)
            let busy = Double(end.cpu.busy - start.cpu.busy)
            let own = Double(end.ownTicks - start.ownTicks)
            let total = Double(end.cpu.total - start.cpu.total)
            self.seconds = Self.rounded(seconds)
            otherCPUCores = Self.rounded(max(0, busy - own) / MachineReading.ticksPerSecond / seconds)
            self.otherRunnable = Self.rounded(otherRunnable)
            stealPercent = Self.rounded(total > 0 ? Double(end.cpu.steal - start.cpu.steal) / total * 100 : 0)
        }

        public init(seconds: Double, otherCPUCores: Double, otherRunnable: Double, stealPercent: Double) {
            self.seconds = seconds
            self.otherCPUCores = otherCPUCores
            self.otherRunnable = otherRunnable
            self.stealPercent = stealPercent
        }

        static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

        enum CodingKeys: String, CodingKey {
            case seconds = "seconds"
            case otherCPUCores = "other_cpu_cores"
            case otherRunnable = "other_runnable"
            case stealPercent = "steal_percent"
        }
    }

    /// A process that is not bench's own, and its CPU seconds while measuring.
    public struct OtherProcess: Codable, Sendable, Equatable {
        public let command: String
        public let cpuSeconds: Double

        enum CodingKeys: String, CodingKey {
            case command
            case cpuSeconds = "cpu_s"
        }
    }

    public init(
        cores: Int, loadAverageStart: Double, loadAverageMax: Double, before: Window, during: Window, busiestOthers: [OtherProcess]
    ) {
        self.cores = cores
        self.loadAverageStart = loadAverageStart
        self.loadAverageMax = loadAverageMax
        self.before = before
        self.during = during
        self.busiestOthers = busiestOthers
    }

    /// Why the run counts as disturbed; empty when the machine was quiet.
    public var reasons: [String] {
        let limit = Double(cores) / 2
        var reasons: [String] = []
        for (name, window) in [("before", before), ("during", during)] {
            if window.otherCPUCores > limit {
                reasons.append(String(format: "other processes kept %.2f of %d cores busy %@ measuring", window.otherCPUCores, cores, name))
            }
            if window.otherRunnable > limit {
                reasons.append(String(format: "%.1f threads of other processes were ready to run %@ measuring (%d cores)", window.otherRunnable, name, cores))
            }
            if window.stealPercent > Self.stealLimitPercent {
                reasons.append(String(format: "the hypervisor stole %.1f%% of the CPU time %@ measuring", window.stealPercent, name))
            }
        }
        return reasons
    }

    public var isDisturbed: Bool { !reasons.isEmpty }

    /// One line for the end of a run.
    public var summary: String {
        let busiest = busiestOthers.first.map { String(format: "; busiest other: %@ %.1f s CPU", $0.command, $0.cpuSeconds) } ?? ""
        return String(
            format: "machine: load average %.2f at start, other processes %.2f cores before and %.2f during, steal %.1f%%%@",
            loadAverageStart, before.otherCPUCores, during.otherCPUCores, during.stealPercent, busiest)
    }

    enum CodingKeys: String, CodingKey {
        case cores, before, during
        case loadAverageStart = "load_average_start"
        case loadAverageMax = "load_average_max"
        case busiestOthers = "busiest_other_processes"
    }
}
