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
        guard a.count == b.count, a.count >= 2 else { return nil }
        return test(strata: [Stratum(a: a, b: b, weight: 1)], level: level, resamples: resamples, seed: seed)
    }

    /// One population of paired examples and its weight in the compared value.
    public struct Stratum: Sendable, Hashable {
        /// The first system's scores.
        public var a: [Double]
        /// The second's, aligned with ``a``.
        public var b: [Double]
        /// The population's weight: the value is `Σ weight · mean`.
        public var weight: Double

        /// Creates a stratum.
        public init(a: [Double], b: [Double], weight: Double) {
            self.a = a
            self.b = b
            self.weight = weight
        }
    }

    /// Tests a value that is a weighted sum of population means (a HELMET category: the mean of its
    /// datasets' means, averaged over lengths), resampling each population's examples on their own
    /// (a stratified bootstrap), so that `δ = Σ wₛ (āₛ − b̄ₛ)` and each resample draws every stratum's
    /// examples with replacement. Every stratum needs two or more examples, aligned in `a` and `b`.
    public static func test(
        strata: [Stratum], level: Double = 0.95, resamples: Int = 10_000, seed: UInt64
    ) -> PairedBootstrap? {
        guard !strata.isEmpty, resamples > 0, level > 0, level < 1,
            strata.allSatisfy({ $0.a.count == $0.b.count && $0.a.count >= 2 && $0.weight.isFinite })
        else { return nil }
        let differences = strata.map { stratum in zip(stratum.a, stratum.b).map { $0 - $1 } }
        let delta = zip(differences, strata).reduce(0) { sum, pair in
            sum + pair.1.weight * pair.0.reduce(0, +) / Double(pair.0.count)
        }
        var random = SeededRandom(seed: seed)
        var means = [Double](repeating: 0, count: resamples)
        var extreme = 0
        for r in 0..<resamples {
            var value = 0.0
            for (index, stratum) in differences.enumerated() {
                let n = stratum.count
                var sum = 0.0
                for _ in 0..<n { sum += stratum[Int(random.next() % UInt64(n))] }
                value += strata[index].weight * sum / Double(n)
            }
            means[r] = value
            if abs(value - delta) >= abs(delta) { extreme += 1 }
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
