import Platform
import CEpoll
import Glibc

// System calls and constants that Glibc's Swift module leaves out, reached through
// the CEpoll module map (NOTES-swift-linux.md).

/// eventfd(2), which Glibc's module does not expose.
func eventfdDescriptor() -> Int32 {
    eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
}
