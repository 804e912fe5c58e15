import Glibc

/// The `bench` binary to re-execute for child processes (the local HTTP
/// server, worker processes).
///
/// Normally this process's own file, read from `/proc/self/exe` (absolute,
/// unlike `argv[0]`). Under `swift test` this process is the test bundle, so
/// `BENCH_WORKER_EXECUTABLE` names the `bench` binary instead; one variable
/// serves every kind of child.
enum BenchExecutable {
    static let environmentVariable = "BENCH_WORKER_EXECUTABLE"

    static func path() throws -> String {
        if let override = getenv(environmentVariable), override.pointee != 0 {
            return String(cString: override)
        }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else {
            throw BenchError.runFailed(
                "cannot find this program's path: /proc/self/exe: \(String(cString: strerror(errno)))",
                fix: "set \(environmentVariable) to the path of the bench binary")
        }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
