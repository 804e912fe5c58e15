/// An epoll event loop per core on one listener (EPOLLEXCLUSIVE: one loop
/// wakes per connection), nginx's shape with a worker per core, as threads.
public struct EventLoopPerCoreServer: ServerModel {
    public init() {}

    public var name: String { "epoll-per-core" }
    public var summary: String { "an epoll event loop thread per core sharing the listener (EPOLLEXCLUSIVE), keep-alive" }

    public func start(_ setup: ServerSetup, handler: RequestHandler) throws(ServerError) -> any RunningServer {
        try EventLoopGroup(count: setup.loops, setup: setup, handler: handler)
    }
}
