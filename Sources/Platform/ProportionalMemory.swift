/// A process's share of physical memory, from `/proc/<pid>/smaps_rollup`.
///
/// RSS counts every page a process maps, so summing it over processes counts
/// a page shared by 64 forked workers 64 times. PSS (proportional set size)
/// divides each shared page among the processes that map it, so PSS summed
/// over processes counts every page once; USS (unique set size: Private_Clean
/// + Private_Dirty) is what only this process holds, what ending it would free.
/// Per process USS ≤ PSS ≤ RSS.
public struct ProportionalMemory: Sendable, Equatable {
    public var pssKilobytes: Int
    public var ussKilobytes: Int

    public static let zero = ProportionalMemory(pssKilobytes: 0, ussKilobytes: 0)

    public init(pssKilobytes: Int, ussKilobytes: Int) {
        self.pssKilobytes = pssKilobytes
        self.ussKilobytes = ussKilobytes
    }

    /// This process now, or nil when smaps_rollup is unreadable (before Linux 4.14, or no /proc).
    /// It walks every mapping (tens of µs in bench-worker, a few hundred in bench): read it
    /// outside the measured span.
    public static func ofThisProcess() -> ProportionalMemory? {
        ProcFile.read("/proc/self/smaps_rollup").flatMap(parse)
    }

    /// Another process, by pid (a server's workers, say); nil when it is gone or unreadable.
    public static func of(process pid: Int32) -> ProportionalMemory? {
        ProcFile.read("/proc/\(pid)/smaps_rollup").flatMap(parse)
    }

    /// The kB values of smaps_rollup's `Pss`, `Private_Clean` and `Private_Dirty` lines.
    public static func parse(_ text: String) -> ProportionalMemory? {
        guard let pss = ProcFile.field("Pss", in: text), let clean = ProcFile.field("Private_Clean", in: text),
              let dirty = ProcFile.field("Private_Dirty", in: text) else { return nil }
        return ProportionalMemory(pssKilobytes: pss, ussKilobytes: clean + dirty)
    }

    public static func + (lhs: ProportionalMemory, rhs: ProportionalMemory) -> ProportionalMemory {
        ProportionalMemory(pssKilobytes: lhs.pssKilobytes + rhs.pssKilobytes, ussKilobytes: lhs.ussKilobytes + rhs.ussKilobytes)
    }
}
