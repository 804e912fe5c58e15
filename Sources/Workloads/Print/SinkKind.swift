/// Where standard output leads while a printing workload runs (`--sink`).
public enum SinkKind: String, CaseIterable, Sendable {
    /// A pipe read to its end by a drain process; every line is checked.
    case pipe
    /// A file, read back and checked after the sample.
    case file
    /// /dev/null: nothing to check but the checksums.
    case devnull
    /// A pseudo-terminal whose other side a drain process reads: the nearest
    /// thing to a console. Every line is checked.
    case tty
}
