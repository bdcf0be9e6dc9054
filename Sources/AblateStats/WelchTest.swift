/// Welch's t-test of two independent samples with unequal variances.
public struct WelchTest: Sendable, Hashable {
    /// `(mean(a) − mean(b)) / √(s²ₐ/nₐ + s²ᵦ/nᵦ)`.
    public var t: Double
    /// The Welch–Satterthwaite degrees of freedom.
    public var degreesOfFreedom: Double
    /// The two-sided p-value.
    public var p: Double

    /// The test of `a` against `b` (each at least two values); `nil` when it is undefined (fewer values,
    /// or no variance in either sample).
    public static func test(_ a: [Double], _ b: [Double]) -> WelchTest? {
        guard a.count >= 2, b.count >= 2 else { return nil }
        let (meanA, varianceA) = moments(a)
        let (meanB, varianceB) = moments(b)
        let ratioA = varianceA / Double(a.count)
        let ratioB = varianceB / Double(b.count)
        let se2 = ratioA + ratioB
        guard se2 > 0 else { return nil }
        let t = (meanA - meanB) / se2.squareRoot()
        let df =
            se2 * se2 / (ratioA * ratioA / Double(a.count - 1) + ratioB * ratioB / Double(b.count - 1))
        return WelchTest(t: t, degreesOfFreedom: df, p: StudentT.twoSidedP(t, df: df))
    }

    private static func moments(_ values: [Double]) -> (mean: Double, variance: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (mean, variance)
    }
}

/// Holm's step-down correction of p-values for multiple comparisons.
public enum Holm {
    /// The adjusted p-values, in the order given: the i-th smallest p times `m − i + 1`, made
    /// monotone, at most 1. A comparison is significant at α when its adjusted p is below α.
    public static func adjust(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, pValues[index] * Double(m - rank)))
            adjusted[index] = running
        }
        return adjusted
    }
}

extension WelchTest {
    /// The confidence interval of `mean(a) − mean(b)` at `level` with Welch's standard error and degrees
    /// of freedom: `Δ ± t₁₋α/₂,ν · √(s²ₐ/nₐ + s²ᵦ/nᵦ)`.
    public static func differenceInterval(_ a: [Double], _ b: [Double], level: Double) -> Interval? {
        guard let test = test(a, b), level > 0, level < 1 else { return nil }
        let delta = a.reduce(0, +) / Double(a.count) - b.reduce(0, +) / Double(b.count)
        let standardError = delta / test.t
        let half = StudentT.quantile(1 - (1 - level) / 2, df: test.degreesOfFreedom) * abs(standardError)
        return Interval(mean: delta, lower: delta - half, upper: delta + half)
    }
}
