import Glibc

/// Signal dispositions, set in one place for every process bench starts.
public enum Signals {
    /// SIGINT and SIGTERM: a terminal's Ctrl-C reaches the whole foreground
    /// process group, and GNU `timeout` signals the whole group too; bench's
    /// helpers ignore both and end when bench closes their pipes, so that
    /// bench alone decides what a stop means (DESIGN: one funnel).
    public static let stopSignals: [Int32] = [SIGINT, SIGTERM]

    /// Ignores `numbers`, then unblocks them (a signal that arrived while they
    /// were blocked from birth is discarded, not delivered).
    public static func ignore(_ numbers: [Int32]) {
        for number in numbers { signal(number, SIG_IGN) }
        unblock(numbers)
    }

    /// Unblocks `numbers` in the calling thread: a signal mask is inherited
    /// across exec, and a launcher that blocked them would leave them pending forever.
    public static func unblock(_ numbers: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for number in numbers { sigaddset(&set, number) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// A write to a closed pipe or socket must be an error that is reported
    /// (EPIPE), not a silent death.
    public static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }
}
