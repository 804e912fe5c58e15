import Foundation
import Glibc
import Platform

/// Two network namespaces joined by a veth pair: two "hosts" on one machine,
/// for a test that crosses a network (as root, with `ip netns` and `ip link`).
/// Addresses are 10.200.N.1 and 10.200.N.2 inside the namespaces the pair
/// creates itself; nothing outside them is touched, and `remove()` deletes
/// both (which deletes the veth pair with them).
public final class NamespacePair {
    public let first: String
    public let second: String
    public let firstAddress: String
    public let secondAddress: String

    public init() throws {
        let tag = String(UInt32.random(in: 0..<UInt32.max), radix: 36)
        let subnet = Int.random(in: 1...250)
        first = "bench-a-\(tag)"
        second = "bench-b-\(tag)"
        firstAddress = "10.200.\(subnet).1"
        secondAddress = "10.200.\(subnet).2"
        let links = ("bva\(tag)".prefix(15), "bvb\(tag)".prefix(15))
        let steps: [[String]] = [
            ["netns", "add", first], ["netns", "add", second],
            ["link", "add", String(links.0), "type", "veth", "peer", "name", String(links.1)],
            ["link", "set", String(links.0), "netns", first], ["link", "set", String(links.1), "netns", second],
            ["-n", first, "addr", "add", "\(firstAddress)/24", "dev", String(links.0)],
            ["-n", second, "addr", "add", "\(secondAddress)/24", "dev", String(links.1)],
            ["-n", first, "link", "set", String(links.0), "up"], ["-n", second, "link", "set", String(links.1), "up"],
            ["-n", first, "link", "set", "lo", "up"], ["-n", second, "link", "set", "lo", "up"],
        ]
        for step in steps {
            let status = try NetworkNamespace.run(step)
            guard status == 0 else {
                remove()
                throw TestError("ip \(step.joined(separator: " ")) failed with status \(status)")
            }
        }
    }

    public func remove() {
        _ = try? NetworkNamespace.run(["netns", "del", first])
        _ = try? NetworkNamespace.run(["netns", "del", second])
    }
}

public enum NetworkNamespace {
    public static let ip = "/usr/sbin/ip"

    /// Why namespaces cannot be made here, or nil when they can (a probe namespace is made and deleted).
    public static let unavailableReason: String? = {
        guard FileManager.default.isExecutableFile(atPath: ip) else { return "\(ip) is missing (Debian: iproute2)" }
        guard getuid() == 0 else { return "ip netns add needs root (CI runs as root)" }
        let probe = "bench-probe-\(getpid())"
        guard (try? run(["netns", "add", probe])) == 0 else { return "ip netns add failed here (no CAP_SYS_ADMIN, or /run/netns not writable)" }
        _ = try? run(["netns", "del", probe])
        return nil
    }()

    /// Runs `ip ARGUMENTS`; its exit status.
    @discardableResult
    public static func run(_ arguments: [String]) throws -> Int32 {
        let process = try Spawned(URL(fileURLWithPath: ip), arguments)
        return process.wait(seconds: 20) ?? -1
    }
}
