/// What a stage's code (its `repo:`) means for its jobs (`code:` in the spec).
public enum CodeMode: String, Sendable, Hashable, CaseIterable {
    /// The repository's git state is recorded with each attempt; a change to the code does not make
    /// a job new (the default). `ablate plan` warns when a job it would reuse ran other code.
    case record
    /// The repository's commit and a hash of its uncommitted changes are part of the job key: after a
    /// commit or an edit, every job of the stage is new.
    case key
}
