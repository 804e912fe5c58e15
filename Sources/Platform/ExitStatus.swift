import Glibc

/// How a child process ended, decoded from a `wait4` status word
/// (Glibc's `WIFEXITED` family are macros, which Swift does not import).
public enum ExitStatus: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32, coreDumped: Bool)

    public init(waitStatus status: Int32) {
        let low = status & 0x7f
        if low == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(low, coreDumped: status & 0x80 != 0)
        }
    }

    public var isSuccess: Bool { self == .exited(0) }

    /// e.g. `exited with status 3`, `was killed by SIGKILL (signal 9)`.
    public var description: String {
        switch self {
        case let .exited(code):
            return "exited with status \(code)"
        case let .signaled(number, coreDumped):
            return "was killed by \(Self.signalName(number)) (signal \(number))" + (coreDumped ? ", core dumped" : "")
        }
    }

    /// The conventional name of a Linux x86-64 signal, e.g. `SIGSEGV`.
    public static func signalName(_ number: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
            SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1",
            SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
            SIGCHLD: "SIGCHLD", SIGCONT: "SIGCONT", SIGSTOP: "SIGSTOP", SIGTSTP: "SIGTSTP", SIGXCPU: "SIGXCPU",
            SIGXFSZ: "SIGXFSZ", SIGSYS: "SIGSYS",
        ]
        return names[number] ?? "signal \(number)"
    }
}
