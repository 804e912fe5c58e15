/// How the scheduler treated a set of threads: how long they were runnable
/// but waiting for a CPU (run-queue wait), and how often they moved between CPUs.
///
/// Read per thread from `/proc/<pid>/task/<tid>/`: the second field of
/// `schedstat` is the thread's run-queue wait in nanoseconds over its life,
/// and `sched` has `se.nr_migrations`. `/proc/<pid>/schedstat` alone is the
/// main thread's, and a thread's figures vanish with it: a model's threads
/// must be read while they still exist (`ThreadTeam` keeps its threads until
/// its caller has read them; a worker process reads its own before it exits).
public struct SchedulerStatistics: Sendable, Equatable {
    /// Time runnable but not running, nanoseconds.
    public var runQueueWaitNanoseconds: Int
    /// CPU migrations; nil where the `sched` file is unreadable.
    public var migrations: Int?

    public static let zero = SchedulerStatistics(runQueueWaitNanoseconds: 0, migrations: 0)

    public init(runQueueWaitNanoseconds: Int, migrations: Int?) {
        self.runQueueWaitNanoseconds = runQueueWaitNanoseconds
        self.migrations = migrations
    }

    public var runQueueWaitSeconds: Double { Double(runQueueWaitNanoseconds) / 1e9 }

    /// Sums; migrations are known only when both sides know them.
    public static func + (lhs: SchedulerStatistics, rhs: SchedulerStatistics) -> SchedulerStatistics {
        SchedulerStatistics(
            runQueueWaitNanoseconds: lhs.runQueueWaitNanoseconds + rhs.runQueueWaitNanoseconds,
            migrations: lhs.migrations.flatMap { left in rhs.migrations.map { left + $0 } })
    }

    /// Whether this kernel keeps run-queue waits at all. Without scheduler
    /// statistics (CONFIG_SCHEDSTATS, or delay accounting) every schedstat reads
    /// "0 0 0", which must not pass for "never waited": the reading thread has
    /// run, so its count of time slices is never 0 where they are kept.
    public static let isAvailable: Bool = {
        guard let fields = ProcFile.read("/proc/thread-self/schedstat").map(ProcFile.integers) else { return false }
        return fields.count >= 3 && fields[2] > 0
    }()

    /// Thread `tid` of this process over its life so far; nil when it has
    /// ended, or the kernel keeps no run-queue waits.
    public static func thread(_ tid: Int32) -> SchedulerStatistics? {
        guard isAvailable else { return nil }
        let folder = "/proc/self/task/\(tid)/"
        guard let fields = ProcFile.read(folder + "schedstat").map(ProcFile.integers), fields.count >= 2 else { return nil }
        return SchedulerStatistics(runQueueWaitNanoseconds: fields[1], migrations: ProcFile.read(folder + "sched").flatMap(migrations))
    }

    /// `se.nr_migrations` of a `sched` file (`se.nr_migrations    :    3`).
    static func migrations(in text: String) -> Int? {
        ProcFile.field("se.nr_migrations", in: text)
    }

    /// Every thread of this process that exists now, by thread id: empty
    /// where the kernel keeps no run-queue waits.
    public static func threadsOfThisProcess() -> [Int32: SchedulerStatistics] {
        guard isAvailable else { return [:] }
        var threads: [Int32: SchedulerStatistics] = [:]
        for id in ThreadIDs.all() {
            threads[id] = thread(id)
        }
        return threads
    }

    /// The sum over the threads of `after` of what each did since `before`:
    /// a thread born in between counts whole. A thread of `before` that ended
    /// in between is lost (read threads before they end), and a thread id
    /// reused meanwhile, whose figures went down, counts as a new thread.
    public static func change(from before: [Int32: SchedulerStatistics], to after: [Int32: SchedulerStatistics]) -> SchedulerStatistics {
        after.reduce(.zero) { total, entry in
            let (id, now) = entry
            guard let then = before[id], then.runQueueWaitNanoseconds <= now.runQueueWaitNanoseconds else { return total + now }
            return total + SchedulerStatistics(
                runQueueWaitNanoseconds: now.runQueueWaitNanoseconds - then.runQueueWaitNanoseconds,
                migrations: now.migrations.flatMap { current in then.migrations.map { current - $0 } })
        }
    }

    /// Every thread of this process over its whole life: a worker process's
    /// own account, started inside the sample. Nil where the kernel keeps none.
    public static func ofThisProcess() -> SchedulerStatistics? {
        guard isAvailable else { return nil }
        return change(from: [:], to: threadsOfThisProcess())
    }
}
