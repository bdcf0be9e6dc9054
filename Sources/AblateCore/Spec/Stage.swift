/// One step of every run (continued pre-training, SFT, evaluation...): a command template and what
/// defines a job of it.
public struct Stage: Sendable, Hashable {
    /// The stage name, unique in the spec.
    public var name: String
    /// Where the stage is declared.
    public var location: SourceLocation
    /// The command template (`run:`).
    public var run: CommandTemplate
    /// Where the `run:` value was written.
    public var runLocation: SourceLocation
    /// The parameters that define a job of this stage, with where each was written. A job's config
    /// holds exactly these.
    public var uses: [Located<String>]
    /// The upstream stages whose jobs must succeed first.
    public var after: [Located<String>]
    /// What a job needs.
    public var resources: Resources
    /// How many times a failed job is retried (default 0).
    public var retries: Int
    /// A per-job time limit in seconds, if any.
    public var timeoutSeconds: Double?
    /// The repository whose git state is recorded as the job's code provenance (`repo:`), if given:
    /// a path relative to the directory `ablate` runs in, where `$NAME` and `${NAME}` are environment
    /// variables.
    public var repo: String?
    /// Whether the repository's state is only recorded or also part of the job key (`code:`).
    public var code: CodeMode = .record
    /// Where `code:` was written, if it was.
    public var codeLocation: SourceLocation?
    /// The identity of the code for `code: key` (commit and a hash of the uncommitted changes), filled
    /// in by the loader before expansion; part of every job key of the stage.
    public var codeIdentity: String?
    /// Where the job's results are read from besides `metrics.jsonl` (`collect:`), in order.
    public var collect: [CollectorSpec] = []
    /// What must exist before its jobs run (`requires:`).
    public var requires = StageRequirements()
    /// What a successful job leaves in its directory (`produces:`): paths relative to it, `*` and `?`
    /// matching within one path component. A job that exits 0 without one of them fails.
    public var produces: [Located<String>] = []
    /// The checkpoints the stage writes (`checkpoints:`), which downstream stages can fan out over.
    public var checkpoints: CheckpointSpec?
    /// `over: checkpoints`: the stage runs once per checkpoint of its upstream training stage.
    public var over: FanOut?

    /// Creates a stage.
    public init(
        name: String, location: SourceLocation, run: CommandTemplate, runLocation: SourceLocation,
        uses: [Located<String>] = [], after: [Located<String>] = [], resources: Resources = Resources(),
        retries: Int = 0, timeoutSeconds: Double? = nil, repo: String? = nil
    ) {
        self.name = name
        self.location = location
        self.run = run
        self.runLocation = runLocation
        self.uses = uses
        self.after = after
        self.resources = resources
        self.retries = retries
        self.timeoutSeconds = timeoutSeconds
        self.repo = repo
    }

    /// The stage's name as environment variables spell it (`sft-long` is `SFT_LONG`): downstream jobs
    /// find this stage's output in `ABLATE_INPUT_<environmentName>`.
    public var environmentName: String { Self.environmentName(name) }

    /// `sft-long` becomes `SFT_LONG`.
    public static func environmentName(_ name: String) -> String {
        String(name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// The names in ``uses``.
    public var useNames: [String] { uses.map(\.value) }

    /// The names in ``after``.
    public var afterNames: [String] { after.map(\.value) }
}
