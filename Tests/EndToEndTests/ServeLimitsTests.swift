import Foundation
import Glibc
import Testing
import LocalHTTP
import TestSupport

/// `bench serve` bounds what one client can make it hold, and refuses to
/// start where it could serve almost nobody.
@Suite("serve limits", .serialized)
struct ServeLimitsTests {
    /// Resident memory of `pid`, KiB.
    static func residentKilobytes(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.filter(\.isNumber)) ?? 0
    }

    /// A client pipelines 300 requests for 1 MiB bodies and reads nothing:
    /// the server stops reading it once ~4 MiB are queued (it grew by 300 MB),
    /// and still answers every request once the client reads.
    @Test(arguments: ["0", "10"])
    func aClientThatDoesNotReadCannotGrowTheServer(_ latency: String) throws {
        let server = try Spawned(BenchBinary.url, ["serve", "--http-latency-ms", latency, "--http-bytes", "1048576"], pipeOutput: true)
        defer {
            kill(server.pid, SIGINT)
            _ = server.wait(seconds: 10)
        }
        let port = try HTTPEndpoint(url: try #require(readLine(server.output!))).port
        let before = Self.residentKilobytes(server.pid)
        let client = try RawSocket(port: port, timeoutSeconds: 20)
        let requests = 300
        client.send((0..<requests).map { "GET /task/\($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined())
        usleep(1_500_000)
        let grown = Self.residentKilobytes(server.pid) - before
        #expect(grown < 64 * 1024, "the server grew by \(grown / 1024) MB for one client that does not read")
        // Every response still comes once the client reads.
        var received = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while received < requests * 1_048_576 {
            let count = buffer.withUnsafeMutableBytes { recv(client.fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += count
        }
        #expect(received >= requests * 1_048_576, "only \(received) bytes of \(requests) responses arrived")
    }

    @Test func tooFewDescriptorsForAUsefulServerIsRefusedAtStart() throws {
        let result = try BenchBinary.runProgram(
            URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "ulimit -n 16 && exec \"$0\" serve --http-latency-ms 0", BenchBinary.url.path])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardOutput.isEmpty, "it printed a URL it cannot serve: \(result.standardOutput)")
        let errors = result.standardError.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 1 && errors[0].contains("the server could hold only") && errors[0].contains("ulimit -n"), "\(result.standardError)")
    }
}
