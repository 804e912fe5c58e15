import Glibc

/// CPU time and context switches of a process or a set of processes.
public struct ResourceUsage: Sendable, Equatable, Codable {
    public var userSeconds: Double = 0
    public var systemSeconds: Double = 0
    public var voluntarySwitches: Int = 0
    public var involuntarySwitches: Int = 0

    public static let zero = ResourceUsage()

    public init(userSeconds: Double = 0, systemSeconds: Double = 0, voluntarySwitches: Int = 0, involuntarySwitches: Int = 0) {
        self.userSeconds = userSeconds
        self.systemSeconds = systemSeconds
        self.voluntarySwitches = voluntarySwitches
        self.involuntarySwitches = involuntarySwitches
    }

    public init(_ usage: rusage) {
        userSeconds = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        systemSeconds = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        voluntarySwitches = usage.ru_nvcsw
        involuntarySwitches = usage.ru_nivcsw
    }

    /// This process, all its threads (finished ones included).
    public static func currentProcess() -> ResourceUsage {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return ResourceUsage(usage)
    }

    public static func + (lhs: ResourceUsage, rhs: ResourceUsage) -> ResourceUsage {
        ResourceUsage(
            userSeconds: lhs.userSeconds + rhs.userSeconds,
            systemSeconds: lhs.systemSeconds + rhs.systemSeconds,
            voluntarySwitches: lhs.voluntarySwitches + rhs.voluntarySwitches,
            involuntarySwitches: lhs.involuntarySwitches + rhs.involuntarySwitches)
    }

    public static func - (lhs: ResourceUsage, rhs: ResourceUsage) -> ResourceUsage {
        ResourceUsage(
            userSeconds: lhs.userSeconds - rhs.userSeconds,
            systemSeconds: lhs.systemSeconds - rhs.systemSeconds,
            voluntarySwitches: lhs.voluntarySwitches - rhs.voluntarySwitches,
            involuntarySwitches: lhs.involuntarySwitches - rhs.involuntarySwitches)
    }
}
