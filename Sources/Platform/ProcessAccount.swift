/// What the kernel keeps about a process or a set of them beyond rusage:
/// their proportional memory and their threads' scheduling. Each part is nil
/// where /proc does not give it, and a sum is nil as soon as one part is:
/// an unknown is never counted as 0.
public struct ProcessAccount: Sendable, Equatable {
    public var memory: ProportionalMemory?
    public var scheduling: SchedulerStatistics?

    /// Nothing, known to be nothing: the account of no process at all.
    public static let zero = ProcessAccount(memory: .zero, scheduling: .zero)

    public init(memory: ProportionalMemory?, scheduling: SchedulerStatistics?) {
        self.memory = memory
        self.scheduling = scheduling
    }

    /// This process now, every thread that exists over its whole life: the
    /// account a worker process gives of itself at the end of its part of a
    /// sample, which it began inside. Read it after the sample's last figures
    /// (it takes tens to hundreds of µs), while the threads still exist.
    public static func ofThisProcess() -> ProcessAccount {
        ProcessAccount(memory: .ofThisProcess(), scheduling: .ofThisProcess())
    }

    public static func + (lhs: ProcessAccount, rhs: ProcessAccount) -> ProcessAccount {
        ProcessAccount(
            memory: lhs.memory.flatMap { left in rhs.memory.map { left + $0 } },
            scheduling: lhs.scheduling.flatMap { left in rhs.scheduling.map { left + $0 } })
    }
}
