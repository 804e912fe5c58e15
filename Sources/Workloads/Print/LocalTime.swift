#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock local time as Python's `datetime.now()` prints it:
/// `2019-01-09 12:50:48.701523`.
enum LocalTime {
    static func now() -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        var seconds = time.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2)) "
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(time.tv_nsec / 1000, 6))"
    }

    private static func pad<Number: BinaryInteger>(_ value: Number, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
