/// Downsamples a metric series for drawing: the x range split into `buckets` equal buckets, each kept as
/// its minimum and maximum value (and their mean x), so that a 1,000,000-point series draws as a few
/// thousand points with every spike still visible. One pass, no sort (series are stored by step).
public enum SeriesDownsampler {
    /// One bucket: its x (the mean of its points' x), lowest and highest value, and how many points.
    public struct Bucket: Sendable, Equatable {
        /// The mean x of its points.
        public var x: Double
        /// The lowest value.
        public var min: Double
        /// The highest value.
        public var max: Double
        /// How many points fell in it.
        public var count: Int
    }

    /// The non-empty buckets of `points`, by x.
    public static func minMax(_ points: [(step: Double, value: Double)], buckets: Int) -> [Bucket] {
        guard let first = points.first, buckets > 0 else { return [] }
        if points.count <= buckets {
            return points.map { Bucket(x: $0.step, min: $0.value, max: $0.value, count: 1) }
        }
        var low = first.step
        var high = first.step
        for point in points {
            low = Swift.min(low, point.step)
            high = Swift.max(high, point.step)
        }
        let width = high > low ? (high - low) / Double(buckets) : 1
        var sums = [Double](repeating: 0, count: buckets)
        var result = [Bucket](repeating: Bucket(x: 0, min: .infinity, max: -.infinity, count: 0), count: buckets)
        for point in points {
            let index = Swift.min(buckets - 1, Int((point.step - low) / width))
            result[index].min = Swift.min(result[index].min, point.value)
            result[index].max = Swift.max(result[index].max, point.value)
            result[index].count += 1
            sums[index] += point.step
        }
        return result.indices.compactMap { index in
            guard result[index].count > 0 else { return nil }
            var bucket = result[index]
            bucket.x = sums[index] / Double(bucket.count)
            return bucket
        }
    }

    /// The mean value of `points` in each of `buckets` equal buckets of `low...high` (`nil` where a bucket
    /// has no point): series of several runs on one grid, to average across seeds.
    public static func means(
        _ points: [(step: Double, value: Double)], low: Double, high: Double, buckets: Int
    ) -> [Double?] {
        guard buckets > 0 else { return [] }
        let width = high > low ? (high - low) / Double(buckets) : 1
        var sums = [Double](repeating: 0, count: buckets)
        var counts = [Int](repeating: 0, count: buckets)
        for point in points {
            let index = Swift.max(0, Swift.min(buckets - 1, Int((point.step - low) / width)))
            sums[index] += point.value
            counts[index] += 1
        }
        return (0..<buckets).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : nil }
    }

    /// Tiles (each already a min/max summary of its points) merged into at most `buckets` buckets by x.
    public static func merge(_ tiles: [(x: Double, min: Double, max: Double, count: Int)], buckets: Int) -> [Bucket] {
        guard let first = tiles.first, let last = tiles.last, buckets > 0 else { return [] }
        if tiles.count <= buckets {
            return tiles.map { Bucket(x: $0.x, min: $0.min, max: $0.max, count: $0.count) }
        }
        let low = first.x
        let width = last.x > low ? (last.x - low) / Double(buckets) : 1
        var result = [Bucket](repeating: Bucket(x: 0, min: .infinity, max: -.infinity, count: 0), count: buckets)
        var sums = [Double](repeating: 0, count: buckets)
        for tile in tiles {
            let index = Swift.min(buckets - 1, Int((tile.x - low) / width))
            result[index].min = Swift.min(result[index].min, tile.min)
            result[index].max = Swift.max(result[index].max, tile.max)
            result[index].count += tile.count
            sums[index] += tile.x * Double(tile.count)
        }
        return result.indices.compactMap { index in
            guard result[index].count > 0 else { return nil }
            var bucket = result[index]
            bucket.x = sums[index] / Double(bucket.count)
            return bucket
        }
    }
}
