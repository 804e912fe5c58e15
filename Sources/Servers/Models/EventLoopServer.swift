/// One epoll event loop on one thread (Node's, or nginx with one worker):
/// every connection and every waiting request on one thread, the computing
/// half inline, so computing requests run one at a time.
public struct EventLoopServer: ServerModel {
    public init() {}

    public var name: String { "epoll" }
    public var summary: String { "one epoll event loop thread: computing inline, waits on a timer, keep-alive" }

    public func start(_ setup: ServerSetup, handler: RequestHandler) throws(ServerError) -> any RunningServer {
        try EventLoopGroup(count: 1, setup: setup, handler: handler)
    }
}
