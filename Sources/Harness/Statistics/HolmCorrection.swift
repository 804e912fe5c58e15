/// Holm's step-down correction for a family of comparisons: with m tests,
/// the smallest p-value must be at most α/m, the next α/(m−1), and so on,
/// stopping at the first that is not. It keeps the chance of any false
/// "beat" or "holds" in the whole family at α (Bonferroni does too, but
/// rejects less), with no assumption about how the tests depend on each other.
public enum HolmCorrection {
    /// The adjusted p-values, in the order given: a comparison is decided at
    /// level α when its adjusted p is at most α. A comparison with no test
    /// (too few samples) counts as p = 1: it stays in the family, as planned.
    public static func adjust(_ pValues: [Double?]) -> [Double] {
        let family = pValues.map { $0 ?? 1 }
        let count = family.count
        var adjusted = [Double](repeating: 1, count: count)
        var running = 0.0
        for (rank, index) in family.indices.sorted(by: { family[$0] < family[$1] }).enumerated() {
            // Monotone: a larger p is never adjusted below a smaller one.
            running = max(running, min(1, Double(count - rank) * family[index]))
            adjusted[index] = running
        }
        return adjusted
    }

    /// How a report names the correction: `Holm-corrected over 5 comparisons`.
    public static func describe(familySize: Int) -> String {
        familySize > 1 ? "Holm-corrected over \(familySize) comparisons" : "a single comparison, no correction needed"
    }
}
