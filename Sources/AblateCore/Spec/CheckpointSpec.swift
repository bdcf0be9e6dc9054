/// The checkpoints a training stage writes (`checkpoints:`), which a downstream stage can fan out over
/// (`over: checkpoints`): where each one is, at which steps, and which files make it ready.
///
/// `checkpoints: {path: "checkpoint-{step}", steps: [250, 500, 750, 1000], ready: [trainer_state.json]}`
/// is the Hugging Face Trainer's layout: it writes `trainer_state.json` last into each `checkpoint-N`.
public struct CheckpointSpec: Sendable, Hashable {
    /// The checkpoint's directory relative to the job directory, with `{step}` for its step.
    public var path: String
    /// The steps at which the stage writes a checkpoint, ascending.
    public var steps: [Int]
    /// Files (relative to a checkpoint's directory) whose presence makes the checkpoint ready.
    public var ready: [String]
    /// The tokens one step consumes (`tokens_per_step`), as factors, for the tokens seen at each checkpoint.
    public var tokensPerStep: [CollectorSpec.TokenFactor]?
    /// Where `checkpoints:` was written.
    public var location: SourceLocation

    /// What the Hugging Face Trainer writes last into a `checkpoint-N` directory.
    public static let defaultReady = ["trainer_state.json"]

    /// Creates a declaration.
    public init(
        path: String, steps: [Int], ready: [String] = defaultReady, tokensPerStep: [CollectorSpec.TokenFactor]? = nil,
        location: SourceLocation
    ) {
        self.path = path
        self.steps = steps
        self.ready = ready
        self.tokensPerStep = tokensPerStep
        self.location = location
    }

    /// The directory of the checkpoint at `step`, relative to the job directory.
    public func directory(step: Int) -> String {
        path.replacingOccurrences(of: "{step}", with: String(step))
    }

    /// The last step: its checkpoint is the training's final one, ready only once the training succeeded.
    public var lastStep: Int? { steps.last }
}
