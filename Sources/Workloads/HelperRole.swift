/// A job `bench-worker` does besides being a pool worker, named by its first
/// argument: the processes that workloads' fixtures start. Declared here, with
/// the workloads, so that bench-worker dispatches them without naming any.
public struct HelperRole: Sendable {
    public let name: String
    /// Runs with the arguments after the role's name; returns the exit status.
    public let run: @Sendable ([String]) -> Int32

    public static let all: [HelperRole] = [
        HelperRole(name: HTTPServerChild.role) { HTTPServerChild.run($0) },
        HelperRole(name: SinkDrain.role) { _ in SinkDrain.run() },
    ]

    public static func named(_ name: String) -> HelperRole? {
        all.first { $0.name == name }
    }
}
