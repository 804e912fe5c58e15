import Foundation
import Glibc
import Platform

/// Facts about the machine a run was measured on, for meta.json.
public struct HostInfo: Sendable, Codable, Equatable {
    public var hostName: String
    public var kernel: String
    public var cpuModel: String
    public var logicalCores: Int
    /// CPUs the cgroup may use (`cpu.max` quota / period); nil when unlimited or unknown.
    public var cgroupCPUQuota: Double?
    /// cpufreq's governor of CPU 0 (`performance`, `powersave`...); nil where the VM shows none.
    public var cpuGovernor: String?
    /// Whether the CPU may boost its clock above base (turbo); nil where unreadable.
    public var turbo: Bool?
    /// The CPUs this process may run on (its affinity mask).
    public var allowedCPUs: [Int]

    enum CodingKeys: String, CodingKey {
        case hostName = "host_name"
        case kernel
        case cpuModel = "cpu_model"
        case logicalCores = "logical_cores"
        case cgroupCPUQuota = "cgroup_cpu_quota"
        case cpuGovernor = "cpu_governor"
        case turbo
        case allowedCPUs = "allowed_cpus"
    }

    /// Why timings on this machine may drift: a governor that changes the
    /// clock with load, or turbo that raises it for a while. Nil when steady or unknown.
    public var instability: String? {
        if let cpuGovernor, cpuGovernor != "performance" {
            return "the CPU frequency governor is \(cpuGovernor), not performance"
                + (turbo == true ? ", and turbo is on" : "")
                + ": the clock follows the load; set it to performance (cpupower frequency-set -g performance) for steadier timings"
        }
        if turbo == true {
            return "turbo is on: the clock rises and falls with temperature and load; turn it off (e.g. echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo) for steadier timings"
        }
        return nil
    }

    public static func current() -> HostInfo {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count - 1)
        var system = utsname()
        uname(&system)
        let release = withUnsafeBytes(of: &system.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let sysname = withUnsafeBytes(of: &system.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return HostInfo(
            hostName: String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
            kernel: "\(sysname) \(release)",
            cpuModel: cpuModelName() ?? "unknown",
            logicalCores: sysconf(Int32(_SC_NPROCESSORS_ONLN)),
            cgroupCPUQuota: ProcFile.read("/sys/fs/cgroup/cpu.max").flatMap(parseCPUMax),
            cpuGovernor: ProcFile.read("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")?
                .trimmingCharacters(in: .whitespacesAndNewlines),
            turbo: turboState(), allowedCPUs: CPUAffinity.allowed())
    }

    /// intel_pstate says `no_turbo` (1: off); acpi-cpufreq says `boost` (1: on).
    static func turboState() -> Bool? {
        if let text = ProcFile.read("/sys/devices/system/cpu/intel_pstate/no_turbo") {
            return text.trimmingCharacters(in: .whitespacesAndNewlines) == "0"
        }
        if let text = ProcFile.read("/sys/devices/system/cpu/cpufreq/boost") {
            return text.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
        }
        return nil
    }

    /// `cpu.max` holds "max 100000" (no limit) or "<quota> <period>".
    public static func parseCPUMax(_ text: String) -> Double? {
        let parts = text.split(whereSeparator: \.isWhitespace)
        guard parts.count >= 2, let quota = Double(parts[0]), let period = Double(parts[1]), period > 0 else {
            return nil
        }
        return quota / period
    }

    private static func cpuModelName() -> String? {
        guard let text = ProcFile.read("/proc/cpuinfo") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The 1-minute load average, from /proc/loadavg.
    public static func loadAverage() -> Double? {
        ProcFile.read("/proc/loadavg")?.split(separator: " ").first.flatMap { Double($0) }
    }
}
