/// A confidence interval for a mean.
public struct Interval: Sendable, Hashable {
    /// The mean.
    public var mean: Double
    /// The lower end.
    public var lower: Double
    /// The upper end.
    public var upper: Double

    /// Creates an interval.
    public init(mean: Double, lower: Double, upper: Double) {
        self.mean = mean
        self.lower = lower
        self.upper = upper
    }

    /// The t interval of the mean of `values` (at least two) at `level` (0.95 for 95%):
    /// `mean ± t_{1−α/2, n−1} · s/√n`.
    public static func t(_ values: [Double], level: Double) -> Interval? {
        let n = values.count
        guard n >= 2, level > 0, level < 1 else { return nil }
        let mean = values.reduce(0, +) / Double(n)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        let half = StudentT.quantile(1 - (1 - level) / 2, df: Double(n - 1)) * (variance / Double(n)).squareRoot()
        return Interval(mean: mean, lower: mean - half, upper: mean + half)
    }

    /// The percentile bootstrap interval of the mean of `values` at `level`: `resamples` means of
    /// samples drawn with replacement, cut at their `α/2` and `1 − α/2` quantiles. Deterministic for a
    /// given `seed`. With so few values that all `nⁿ` resamples are no more than `resamples` (n ≤ 5 for
    /// 10,000), each is taken once instead: the exact bootstrap distribution.
    public static func bootstrap(_ values: [Double], level: Double, resamples: Int = 10_000, seed: UInt64) -> Interval?
    {
        let n = values.count
        guard n >= 2, level > 0, level < 1, resamples > 0 else { return nil }
        var means: [Double]
        if let combinations = exactResampleCount(n), combinations <= resamples {
            // Few values: every one of the nⁿ equally likely resamples, once (the bootstrap's exact
            // distribution, which sampling would only approximate).
            means = [Double](repeating: 0, count: combinations)
            var digits = [Int](repeating: 0, count: n)
            for index in 0..<combinations {
                means[index] = digits.reduce(0) { $0 + values[$1] } / Double(n)
                var position = 0
                while position < n {
                    digits[position] += 1
                    if digits[position] < n { break }
                    digits[position] = 0
                    position += 1
                }
            }
        } else {
            var random = SeededRandom(seed: seed)
            means = [Double](repeating: 0, count: resamples)
            for r in 0..<resamples {
                var sum = 0.0
                for _ in 0..<n { sum += values[Int(random.next() % UInt64(n))] }
                means[r] = sum / Double(n)
            }
        }
        means.sort()
        let alpha = 1 - level
        return Interval(
            mean: values.reduce(0, +) / Double(n), lower: Quantile.of(means, alpha / 2),
            upper: Quantile.of(means, 1 - alpha / 2))
    }
}

/// `nⁿ`, or `nil` past a million.
private func exactResampleCount(_ n: Int) -> Int? {
    var count = 1
    for _ in 0..<n {
        count *= n
        if count > 1_000_000 { return nil }
    }
    return count
}

/// Quantiles of sorted samples, interpolated linearly between order statistics (numpy's default).
public enum Quantile {
    /// The `p`-quantile of `sorted` (ascending, not empty).
    public static func of(_ sorted: [Double], _ p: Double) -> Double {
        let position = p * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        return sorted[below] + (sorted[above] - sorted[below]) * (position - Double(below))
    }
}

/// SplitMix64: a small, fast, seedable generator for bootstrap resampling.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator seeded with `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
