/// The exact sign test: of n paired rounds without a tie, the one model won
/// w. If neither is faster, w is Binomial(n, ½), and the two-sided p-value is
/// the chance of a split at least as lopsided: 2·P(B ≤ min(w, n − w)).
/// It is the test that goes with the order-statistic interval of the paired
/// ratios: that interval excludes 1 exactly when p is at most its miss.
public enum SignTest {
    /// `wins` of `trials` rounds (ties already left out); 1 for no trials.
    public static func pValue(wins: Int, trials: Int) -> Double {
        guard trials > 0 else { return 1 }
        return min(1, 2 * OrderStatistics.binomialCDF(min(wins, trials - wins), trials: trials))
    }

    /// `p = 0.031`, `p < 0.001`, `p = 1.00`.
    public static func describe(_ p: Double) -> String {
        p < 0.001 ? "p < 0.001" : p < 0.01 ? "p = " + String(format: "%.4f", p) : "p = " + String(format: "%.3f", p)
    }
}
