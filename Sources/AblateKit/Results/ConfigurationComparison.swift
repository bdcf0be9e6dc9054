import AblateCore
import AblateStats
import AblateStore

/// Two configurations compared over their replicates (`ablate diff RUN1 RUN2 --stats`): each run
/// stands for the runs of its sweep that share all its parameters but the replicate ones (seeds),
/// and each metric's difference gets Welch's interval and p-value.
public struct ConfigurationComparison: Sendable {
    /// One metric's comparison.
    public struct Metric: Sendable, Equatable {
        /// The metric key.
        public var key: String
        /// The first configuration's replicate values and the second's.
        public var first: [Double]
        /// The second configuration's values.
        public var second: [Double]
        /// `mean(second) − mean(first)` with its confidence interval (`nil` with fewer than two values
        /// on a side or no variance).
        public var difference: Interval?
        /// Welch's two-sided p-value, when defined.
        public var p: Double?
    }

    /// The runs that make up each configuration.
    public var firstRuns: [String]
    /// The runs of the second.
    public var secondRuns: [String]
    /// Per metric, in key order.
    public var metrics: [Metric]
    /// The confidence level of the intervals.
    public var level: Double

    /// Compares the configurations of runs `first` and `second` in `store`, over the replicate
    /// parameters `over`.
    public static func compare(
        _ first: RunRow, _ second: RunRow, over: [String] = ["seed"], level: Double = 0.95, store: ResultStore
    ) throws -> ConfigurationComparison {
        // Both runs are usually of one sweep: its runs are read once.
        let firstSweep = try store.runs(sweep: first.sweep)
        let secondSweep = second.sweep == first.sweep ? firstSweep : try store.runs(sweep: second.sweep)
        let firstRuns = siblings(of: first, over: over, among: firstSweep)
        let secondRuns = siblings(of: second, over: over, among: secondSweep)
        let keys = Set(firstRuns.flatMap(\.metrics.keys)).union(secondRuns.flatMap(\.metrics.keys))
            .filter { !$0.contains(".") }.sorted()
        let metrics = keys.map { key -> Metric in
            let a = firstRuns.compactMap { $0.metrics[key] ?? nil }.filter(\.isFinite)
            let b = secondRuns.compactMap { $0.metrics[key] ?? nil }.filter(\.isFinite)
            return Metric(
                key: key, first: a, second: b, difference: WelchTest.differenceInterval(b, a, level: level),
                p: WelchTest.test(b, a)?.p)
        }
        return ConfigurationComparison(
            firstRuns: firstRuns.map(\.id), secondRuns: secondRuns.map(\.id), metrics: metrics, level: level)
    }

    /// The runs among `sweepRuns` (those of `run`'s sweep) with the same values of every parameter outside `over`.
    static func siblings(of run: RunRow, over: [String], among sweepRuns: [RunRow]) -> [RunRow] {
        let fixed = run.params.filter { !over.contains($0.key) }
        return sweepRuns.filter { candidate in
            candidate.params.filter { !over.contains($0.key) } == fixed
        }
    }
}
