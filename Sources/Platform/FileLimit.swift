import Glibc

/// `RLIMIT_NOFILE`, the open-descriptor limit, raised toward its hard limit
/// when a run is about to need many descriptors.
///
/// The soft limit is often 1,024, while a server with thousands of waiting
/// requests, a client with thousands in flight, or a pool of 600 workers
/// (1,200 pipe ends in the parent) needs far more.
public enum FileLimit {
    /// Raises the soft limit to the hard limit and returns the new soft limit.
    @discardableResult
    public static func raiseToHardLimit() -> Int {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 {
                limit = raised
            }
        }
        return limit.rlim_cur > rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }

    /// How many more descriptors this process may open now: the soft limit
    /// less the descriptors open (counted in /proc/self/fd).
    public static func descriptorsLeft() -> Int? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        let open: Int
        do {
            open = try DirectoryListing.names(in: "/proc/self/fd").count
        } catch {
            // Not even the listing's own descriptor was left.
            return error.code == EMFILE ? 0 : nil
        }
        let soft = limit.rlim_cur > rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
        // The listing's own descriptor is counted too, and closed by now.
        return soft - (open - 1)
    }

    /// Raises the soft limit, if needed, so that `count` more descriptors fit.
    public static func reserve(_ count: Int) {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return }
        let wanted = rlim_t(count + 256)
        guard limit.rlim_cur < wanted, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = min(max(wanted, limit.rlim_cur * 2), limit.rlim_max)
        _ = setrlimit(resource, &limit)
    }
}
