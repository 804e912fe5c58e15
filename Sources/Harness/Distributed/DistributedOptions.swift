import Broker
import Engine
import Foundation
import Platform

/// How the distributed model finds its broker and its workers (`--broker`,
/// `--remote-workers`, `--redelivery-timeout`).
public struct DistributedOptions: Sendable {
    /// `--broker redis://[:password@]host:port`; nil: bench starts its own redis-server.
    public var broker: String?
    /// With `--remote-workers`: how many workers started elsewhere to wait
    /// for (the largest `--workers`); nil: bench spawns the workers itself.
    public var remoteWorkers: Int?
    /// A chunk taken by a worker that has gone silent this long is delivered
    /// to another; 0: never (a dead worker's chunk fails the sample).
    public var redeliverySeconds: Double = 2
    /// How long `--remote-workers` waits for the workers to register.
    public var registrationSeconds: Double = 600

    public init() {}

    public static let flags: [OptionSpec] = [
        OptionSpec("--broker", value: "URL", help: "distributed: the Redis broker, redis://[:PASSWORD@]HOST:PORT; the password may instead be in \(BrokerAddress.passwordVariable) (default: bench starts its own redis-server on 127.0.0.1 with a random password)"),
        OptionSpec("--remote-workers", help: "distributed: wait for --workers workers started on other hosts with bench-worker --broker URL (bench prints the command) instead of spawning them"),
        OptionSpec("--redelivery-timeout", value: "SECONDS", help: "distributed: a chunk whose worker has been silent this long goes to another worker; 0 turns redelivery off, and a dead worker's chunk fails the sample (default 2, at least 1)"),
    ]

    /// The options from the command line; `workers` is the `--workers` list.
    public init(_ arguments: Arguments, workers: [Int]) throws {
        broker = arguments.string("--broker")
        if arguments.has("--remote-workers") {
            guard broker != nil else {
                throw BenchError.usage(
                    "--remote-workers needs --broker: the redis-server bench starts for itself listens on 127.0.0.1 only",
                    fix: "start redis-server with a password where every host can reach it, and give --broker redis://HOST:PORT")
            }
            remoteWorkers = workers.max() ?? 1
        }
        if let text = arguments.string("--redelivery-timeout") {
            guard let value = Double(text), value == 0 || (value >= 1 && value <= 3_600) else {
                throw BenchError.usage(
                    "--redelivery-timeout expects 0 (off) or seconds from 1 to 3600, got '\(text)'",
                    fix: "e.g. --redelivery-timeout 2: shorter would take chunks from workers that are only busy")
            }
            redeliverySeconds = value
        }
        if let broker {
            // A bad URL or an open broker is a usage error now, not one per cell later.
            try BrokerAddress(url: broker).checkSecure()
        }
    }

    /// `arguments` with the password of any `redis://` URL replaced by `***`:
    /// what meta.json records of the command line.
    public static func redacted(_ arguments: [String]) -> [String] {
        arguments.map { argument in
            guard let scheme = argument.range(of: "redis://"), let at = argument.lastIndex(of: "@"), at > scheme.upperBound else {
                return argument
            }
            return String(argument[..<scheme.upperBound]) + "***" + String(argument[at...])
        }
    }
}
