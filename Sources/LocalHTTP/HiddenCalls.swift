import Platform
import CEpoll
import Glibc

// System calls and constants that Glibc's Swift module leaves out, reached through
// the CEpoll module map (NOTES-swift-linux.md).

/// eventfd(2), which Glibc's module does not expose.
func eventfdDescriptor() -> Int32 {
    eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
}

/// accept4(2): accepts a connection already non-blocking and close-on-exec.
public func acceptNonBlocking(_ listener: Int32) -> Int32 {
    accept4(listener, nil, nil, Socket.nonBlocking | Socket.closeOnExec)
}

extension Socket {
    /// `send` flag: a peer that has gone away gives EPIPE, never SIGPIPE.
    /// Read here, through the CEpoll module's <sys/socket.h>: files importing
    /// only Glibc intermittently failed to find MSG_NOSIGNAL in this target.
    public static let noSignal = Int32(MSG_NOSIGNAL)
}
