import Broker
import Engine
import Foundation
import Glibc
import Platform

/// Workers started on other hosts with `bench-worker --broker URL`: they
/// register in `bench:workers` and keep an `alive` key fresh; bench counts
/// those whose key is still there.
enum RemoteWorkers {
    /// The command a user runs on each other host (the password is theirs to set; bench never prints it).
    static func command(for address: BrokerAddress) -> String {
        "\(BrokerAddress.passwordVariable)=<the broker's password> bench-worker --broker \(address.url)"
    }

    /// The registered workers whose heartbeat is fresh, by id; stale
    /// registrations (a worker that died) are removed on the way.
    static func live(_ connection: RedisConnection) throws(BrokerError) -> [String] {
        let registered = StreamEntry.dictionary(try connection.call(["HGETALL", BrokerKeys.registry]).elements ?? []).keys.sorted()
        guard !registered.isEmpty else { return [] }
        let alive = try connection.pipeline(registered.map { ["EXISTS", BrokerKeys.alive($0)] })
        let stale = zip(registered, alive).filter { $0.1.integer != 1 }.map(\.0)
        if !stale.isEmpty {
            try connection.call(["HDEL", BrokerKeys.registry] + stale)
        }
        return registered.filter { !stale.contains($0) }
    }

    /// Prints how to start the workers, then waits until `count` are live, up to `seconds`.
    static func waitForRegistration(_ count: Int, at address: BrokerAddress, connection: RedisConnection, seconds: Double) throws {
        let deadline = MonotonicClock.deadline(afterSeconds: seconds)
        printNote("bench: the distributed model uses \(count) remote workers; on each other host run:\n  \(command(for: address))")
        var shown = -1
        while true {
            let ready = try live(connection).count
            if ready >= count { return }
            if ready != shown {
                printNote("bench: \(ready) of \(count) remote workers registered")
                shown = ready
            }
            guard MonotonicClock.now() < deadline else {
                throw BenchError.runFailed(
                    "only \(ready) of \(count) remote workers registered at \(address.endpoint) within \(Int(seconds)) s",
                    fix: "start them with: \(command(for: address))")
            }
            usleep(200_000)
        }
    }
}
