import Synchronization

extension Atomic where Value == Int {
    /// Raises the value to `candidate` unless it is already as high: a running
    /// maximum several threads or processes update at once (the most parties
    /// seen inside a section, the latest end time).
    public func raise(to candidate: Int) {
        var seen = load(ordering: .relaxed)
        while seen < candidate {
            let (exchanged, original) = compareExchange(expected: seen, desired: candidate, ordering: .relaxed)
            if exchanged { return }
            seen = original
        }
    }
}
