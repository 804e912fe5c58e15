import Glibc

/// The most parties a probe of the locks and sharing experiments starts at
/// once, threads or processes: 1,024 (already 512 per core here), or a
/// quarter of a lower process limit (`ulimit -u`).
enum PartyLimit {
    static let maximum: Int = {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(__RLIMIT_NPROC.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(Int.max) else { return 1024 }
        return max(1, min(1024, Int(limit.rlim_cur) / 4))
    }()
}
