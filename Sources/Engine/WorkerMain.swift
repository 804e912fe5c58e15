import Broker
import Glibc
import Platform
import Servers
import Workloads

/// What `bench-worker` does, chosen by its first argument:
///
///     worker --index N   a pool worker on fds 3 and 4 (process-pool, hybrid, process-async)
///     forkserver         the fork server on fd 3
///     --broker URL       a worker of the distributed model (`DistributedWorker`)
///     broker-guard       the parent of the redis-server bench starts for itself
///     serve, sink-drain  the helpers workloads' fixtures start (`HelperRole`)
///     channel-peer       the far party of the channels and handoff experiments
///     state-peer         a party of the locks and sharing experiments (SharedStatePeer)
///     server MODEL       a server model of the servers experiment (`ServerRole`)
///
/// It is started by bench, never typed; by hand it says so and exits 64.
public enum WorkerMain {
    public static func run(_ arguments: [String]) -> Int32 {
        guard let role = arguments.first else {
            return usage("bench-worker needs a role")
        }
        let rest = Array(arguments.dropFirst())
        switch role {
        case PoolWorker.role:
            guard PoolWorker.hasPipes else {
                return usage("bench-worker worker has no pipes on fds 3 and 4; the process-pool, hybrid and process-async models start it")
            }
            var index = 0
            if rest.count == 2, rest[0] == "--index", let value = Int(rest[1]), value >= 0 { index = value }
            return PoolWorker.run(index: index) ? 0 : 1
        case ForkServer.role:
            guard FileDescriptor.isOpen(ForkServer.socketFD) else {
                return usage("bench-worker forkserver has no socket on fd 3; pools with --start-method forkserver start it")
            }
            return ForkServer.serve()
        case DistributedWorker.flag:
            return DistributedWorker.main(arguments)
        case BrokerGuard.role:
            return BrokerGuard.run(rest)
        case ChannelPeer.role:
            return ChannelPeer.run(rest)
        case SharedStatePeer.role:
            return SharedStatePeer.run(rest)
        case ServerRole.role:
            return ServerRole.run(rest)
        case "--help", "-h":
            FileDescriptor.writeAll(1, help)
            return 0
        default:
            guard let helper = HelperRole.named(role) else {
                return usage("unknown role '\(role)'")
            }
            return helper.run(rest)
        }
    }

    static let help = """
        usage: bench-worker ROLE [ARGUMENTS]

        The worker and helper processes of bench, started by bench itself:
          worker --index N   a pool worker, with its pipes on fds 3 and 4
          forkserver         forks pool workers on request (--start-method forkserver)
          --broker URL       a distributed worker: takes tasks from the Redis broker at URL
                             (password in BENCH_REDIS_PASSWORD); run it on other hosts for
                             bench run --model distributed --broker URL --remote-workers
          broker-guard       keeps the redis-server bench starts for itself
          serve              the http workload's local server (bench serve runs it by hand)
          sink-drain         the reader at the far end of a print sink
          channel-peer       the far party of the channels and handoff experiments
          state-peer         a party of the locks and sharing experiments (shared memory on fd 3)
          server MODEL       a server model of bench experiment servers (prints its URL)

        """

    private static func usage(_ message: String) -> Int32 {
        FileDescriptor.writeAll(2, "error: \(message) — it is started by bench (e.g. bench run --model process-pool), not by hand\n")
        return ExitCode.usage.rawValue
    }
}
