/// A metric that reports know about: which direction is better and how to label it.
public struct MetricDeclaration: Sendable, Hashable {
    /// Whether larger or smaller values are better.
    public enum Goal: String, Sendable, Hashable, CaseIterable {
        /// Larger is better (accuracy, recall).
        case max
        /// Smaller is better (loss, perplexity).
        case min
    }

    /// The metric key as jobs write it (`recall`, or `eval.recall`).
    public var key: String
    /// Which direction is better.
    public var goal: Goal
    /// The column label, if given.
    public var label: String?

    /// Creates a declaration.
    public init(key: String, goal: Goal = .max, label: String? = nil) {
        self.key = key
        self.goal = goal
        self.label = label
    }
}
