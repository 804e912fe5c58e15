/// A profile task in its two halves, for a server whose event loop must not
/// block in the wait between them: it computes, parks the request on a timer
/// for `--wait-ms`, then builds the result. `payload(task:)` is the same two
/// halves with a blocking sleep between, so both give the same bytes.
extension ProfileWorkload {
    /// The computing half of `task`: the xor round trip, whose value the result is built from.
    public func compute(task: Int) -> UInt64 {
        XorRoundTrip.run(seed: Self.seed(task), iterations: iterations)
    }

    /// The result of a task whose computing half gave `x`, once its (sleeping) wait is over.
    public func finish(computed x: UInt64) -> [UInt8] {
        result(x: x, waited: 0)
    }
}
