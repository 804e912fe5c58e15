import Glibc

/// Small files of /proc and /sys read with plain system calls: every layer
/// reads a few (status, loadavg, cpuinfo, cgroup limits, a thread's
/// scheduler statistics), Foundation-free.
///
/// Read and parsed byte by byte: a pool worker reads its own peak memory just
/// before its final report, inside the measured span, and in a freshly forked
/// worker a 64 KiB zeroed buffer (page faults) and the first `split` of a
/// String (Unicode machinery) cost 50 and 250 µs there, measured; this way
/// it is a few µs.
public enum ProcFile {
    /// The whole file as text, or nil when it cannot be opened or read.
    public static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        // /proc files are generated on read and most are below a page: a small
        // buffer, reused until end of file, never a large zeroed one.
        let failed = withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 16) { buffer in
            while true {
                let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
                if count > 0 {
                    bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                } else if count == 0 {
                    return false
                } else if errno != EINTR {
                    return true
                }
            }
        }
        return failed ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// The number of a `Name:   1234 kB` line (/proc/<pid>/status, meminfo,
    /// smaps_rollup) or a `name    :    12` line (/proc/<pid>/sched): the
    /// first line that starts with `name` followed by blanks and a colon; its
    /// first run of digits after the colon. Nil without such a line or digits.
    public static func field(_ name: String, in text: String) -> Int? {
        let key = Array(name.utf8)
        var lines = text.utf8[...]
        while !lines.isEmpty {
            let line = lines.prefix { $0 != UInt8(ascii: "\n") }
            lines = lines.dropFirst(line.count + 1)
            guard line.starts(with: key) else { continue }
            var rest = line.dropFirst(key.count).drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            guard rest.first == UInt8(ascii: ":") else { continue }
            rest = rest.dropFirst().drop { !isDigit($0) }
            return number(rest.prefix(while: isDigit))
        }
        return nil
    }

    /// Every run of digits in `text`, in order, as numbers (a schedstat line:
    /// `2418607 10975045 109`).
    public static func integers(in text: String) -> [Int] {
        var numbers: [Int] = []
        var rest = text.utf8[...]
        while let start = rest.firstIndex(where: isDigit) {
            let digits = rest[start...].prefix(while: isDigit)
            if let value = number(digits) { numbers.append(value) }
            rest = rest[digits.endIndex...]
        }
        return numbers
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Decimal digits as a number; nil for none, or one too large for an Int.
    private static func number(_ digits: Substring.UTF8View.SubSequence) -> Int? {
        guard !digits.isEmpty else { return nil }
        var value = 0
        for byte in digits {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            value = shifted + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
