/// The paired bootstrap test of two systems scored on the same examples (Efron & Tibshirani 1993;
/// as used for NLP evaluations by Koehn 2004 and Berg-Kirkpatrick et al. 2012): is the mean
/// per-example difference real, or what resampling the examples would give anyway?
public struct PairedBootstrap: Sendable, Hashable {
    /// The observed mean difference `mean(a − b)`.
    public var delta: Double
    /// The confidence interval of the difference (percentile bootstrap).
    public var interval: Interval
    /// The two-sided p-value: the share of resampled differences at least as far from the observed one
    /// as the observed one is from 0, `(1 + #{|δ*ᵣ − δ| ≥ |δ|}) / (R + 1)`.
    public var p: Double

    /// Tests `a` against `b`, paired by index (the same examples, in the same order; at least two),
    /// with `resamples` resamples of the examples drawn from `seed`.
    public static func test(
        _ a: [Double], _ b: [Double], level: Double = 0.95, resamples: Int = 10_000, seed: UInt64
    ) -> PairedBootstrap? {
        guard a.count == b.count, a.count >= 2, resamples > 0, level > 0, level < 1 else { return nil }
        let differences = zip(a, b).map { $0 - $1 }
        let n = differences.count
        let delta = differences.reduce(0, +) / Double(n)
        var random = SeededRandom(seed: seed)
        var means = [Double](repeating: 0, count: resamples)
        var extreme = 0
        for r in 0..<resamples {
            var sum = 0.0
            for _ in 0..<n { sum += differences[Int(random.next() % UInt64(n))] }
            let mean = sum / Double(n)
            means[r] = mean
            if abs(mean - delta) >= abs(delta) { extreme += 1 }
        }
        means.sort()
        let alpha = 1 - level
        return PairedBootstrap(
            delta: delta,
            interval: Interval(
                mean: delta, lower: Quantile.of(means, alpha / 2), upper: Quantile.of(means, 1 - alpha / 2)),
            p: Double(1 + extreme) / Double(resamples + 1))
    }
}
