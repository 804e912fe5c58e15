import Glibc
import Platform

/// Writes `error: <message>` on stderr: the one format every error takes.
public func printError(_ message: String) {
    printNote("error: \(message)")
}

/// Writes a note (not an error) on stderr, keeping stdout for results.
public func printNote(_ message: String) {
    // Results printed so far come first when both streams reach one screen.
    fflush(nil)
    FileDescriptor.writeAll(2, message + "\n")
}
