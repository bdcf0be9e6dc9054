/// What one collector read from a job directory: final values (some per evaluation length), series
/// points, per-example scores, the evaluation's provenance and what went wrong. Pure data: the readers
/// make it, the store records it in one transaction.
public struct CollectedResults: Sendable, Equatable {
    /// One final value.
    public struct Value: Sendable, Equatable {
        /// The metric key (`rag`, `helmet.kilt_nq`, `hellaswag`).
        public var key: String
        /// The evaluation's input length, for values that have one (HELMET's `input_max_length`).
        public var length: Int?
        /// The value; NaN where the evaluator wrote none.
        public var value: Double

        /// Creates a value.
        public init(key: String, length: Int? = nil, value: Double) {
            self.key = key
            self.length = length
            self.value = value
        }
    }

    /// One point of a series (a training log entry).
    public struct Point: Sendable, Equatable {
        /// The metric key (`loss`, `learning_rate`).
        public var key: String
        /// The optimizer step.
        public var step: Int64
        /// The value.
        public var value: Double

        /// Creates a point.
        public init(key: String, step: Int64, value: Double) {
            self.key = key
            self.step = step
            self.value = value
        }
    }

    /// Per-example scores behind one value, for paired tests. A value that averages several
    /// populations (a HELMET category: the mean of its datasets' means) has one entry per population, its
    /// *component*; the value is the mean over its components of their means.
    public struct Examples: Sendable, Equatable {
        /// The metric key the scores are behind (`helmet.nq.substring_exact_match`, `rag`, `hellaswag`).
        public var key: String
        /// The input length, where the metric has one.
        public var length: Int?
        /// The population (`helmet.nq.substring_exact_match` within `rag`; the key itself for a plain value).
        public var component: String
        /// The component's weight in the value: the value is the weighted sum of the components' means at
        /// its length (the weights of one key and length sum to 1).
        public var weight: Double
        /// Each example's identity (its id or index as the evaluator wrote it), aligned with ``scores``.
        public var ids: [String]
        /// Each example's score, on the metric's scale.
        public var scores: [Double]

        /// Creates per-example scores.
        public init(
            key: String, length: Int?, component: String? = nil, weight: Double = 1, ids: [String], scores: [Double]
        ) {
            self.key = key
            self.length = length
            self.component = component ?? key
            self.weight = weight
            self.ids = ids
            self.scores = scores
        }
    }

    /// Final values.
    public var values: [Value] = []
    /// Series points.
    public var points: [Point] = []
    /// Per-example scores.
    public var examples: [Examples] = []
    /// How the evaluation was made (harness version, git hash, n-shot, limit, tag, seed...).
    public var provenance: [String: ParamValue] = [:]
    /// What was wrong or chosen by default, each naming its file: shown and recorded, never fatal.
    public var warnings: [String] = []
    /// The files read, relative to the collector's folder.
    public var files: [String] = []

    /// Creates an empty result.
    public init() {}
}
