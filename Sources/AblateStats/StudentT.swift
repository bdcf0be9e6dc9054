import Foundation

/// Student's t distribution: its CDF and quantiles, for t intervals and Welch's test.
///
/// The CDF comes from the regularized incomplete beta function,
/// `P(T ≤ t) = 1 − ½·I_{ν/(ν+t²)}(ν/2, ½)` for `t ≥ 0` (and by symmetry below 0); quantiles invert it
/// by bisection to 1e-12.
public enum StudentT {
    /// `P(T ≤ t)` for `df` degrees of freedom (`df > 0`, not necessarily whole: Welch's are not).
    public static func cdf(_ t: Double, df: Double) -> Double {
        precondition(df > 0, "degrees of freedom must be positive")
        guard t.isFinite else { return t > 0 ? 1 : 0 }
        let tail = 0.5 * IncompleteBeta.regularized(x: df / (df + t * t), a: df / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The `p`-quantile (`0 < p < 1`): the `t` with `P(T ≤ t) = p`.
    public static func quantile(_ p: Double, df: Double) -> Double {
        precondition(p > 0 && p < 1, "a quantile's probability is strictly between 0 and 1")
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p, df: df) }
        var low = 0.0
        var high = 1.0
        while cdf(high, df: df) < p { high *= 2 }
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if cdf(middle, df: df) < p { low = middle } else { high = middle }
            if high - low < 1e-12 * max(1, high) { break }
        }
        return (low + high) / 2
    }

    /// The two-sided p-value of `t`: `2·P(T ≥ |t|)`.
    public static func twoSidedP(_ t: Double, df: Double) -> Double {
        min(1, 2 * cdf(-abs(t), df: df))
    }
}
