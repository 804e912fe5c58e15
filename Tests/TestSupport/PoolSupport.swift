import Foundation
import Glibc
import Platform
import Harness

/// Pool tests run bench-worker processes: the one built beside the test
/// bundle, which is where bench looks by default. Idempotent: every pool test
/// calls it first, so a stray BENCH_WORKER_EXECUTABLE cannot point them elsewhere.
public func useBuiltBenchForWorkers() {
    HelperExecutable.override = BenchBinary.workerURL.path
}

/// Facts about processes, read from /proc, for tests that check no worker is left behind.
public enum ProcessTable {
    /// True once `pid` is no child of this process any more: reaped (or never
    /// ours). A zombie child is still ours, and makes this false.
    public static func isReaped(_ pid: Int32) -> Bool {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == -1 && errno == ECHILD
    }

    /// The state letter of `pid` (`R`, `S`, `Z`...), or nil if it no longer exists.
    public static func state(_ pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(close, offsetBy: 2)...].first
    }

    /// True if `pid` is gone, or has exited and awaits a reaper (its new parent's business).
    public static func hasExited(_ pid: Int32) -> Bool {
        guard let state = state(pid) else { return true }
        return state == "Z" || state == "X"
    }

    /// The pids whose parent is `parent`.
    public static func children(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent
        }
    }

    /// The command line of `pid`, its arguments joined by spaces ("" when gone).
    public static func commandLine(_ pid: Int32) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "" }
        return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }

    /// Every process below `parent`: children, their children, and so on.
    public static func descendants(of parent: Int32) -> [Int32] {
        var found: [Int32] = []
        var frontier = [parent]
        while let next = frontier.popLast() {
            let children = Self.children(of: next)
            found += children
            frontier += children
        }
        return found
    }

    /// Polls `condition` every 20 ms until it holds or `seconds` pass.
    public static func eventually(within seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}
