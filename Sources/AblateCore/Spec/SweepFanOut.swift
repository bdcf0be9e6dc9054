/// The checkpoint fan-out of a sweep, resolved after validation: the training stage whose checkpoints
/// are fanned over, the steps, and the stages that run once per step (those with `over:` and every
/// stage downstream of them). Every run of the sweep is a point of the sweep at one of these steps,
/// held in the implicit parameter ``parameter``.
public struct SweepFanOut: Sendable, Hashable {
    /// The implicit parameter holding a run's checkpoint step; the fanned stages use it.
    public static let parameter = "checkpoint"
    /// The implicit parameter holding the tokens seen at that step, where the training stage's tokens
    /// per step are known (from `checkpoints.tokens_per_step` or its `hf-trainer` collector's).
    public static let tokensParameter = "checkpoint_tokens"

    /// The training stage that declares the checkpoints.
    public var source: String
    /// Its checkpoints.
    public var checkpoints: CheckpointSpec
    /// The steps fanned over, ascending.
    public var steps: [Int]
    /// The stages that run once per step.
    public var stages: Set<String>
    /// The tokens one step of the source consumes, as factors over its parameters, if known.
    public var tokensPerStep: [CollectorSpec.TokenFactor]?

    /// Creates a resolved fan-out.
    public init(
        source: String, checkpoints: CheckpointSpec, steps: [Int], stages: Set<String>,
        tokensPerStep: [CollectorSpec.TokenFactor]?
    ) {
        self.source = source
        self.checkpoints = checkpoints
        self.steps = steps
        self.stages = stages
        self.tokensPerStep = tokensPerStep
    }
}
