/// What one reconciliation of a backend saw and changed (`ablate sync`, and before `ablate status`).
public struct Observation: Sendable, Equatable {
    /// One line per change (`succeeded sft 1a2b3c4d (attempt 1, Slurm 12_0)`).
    public var events: [String]
    /// Attempts still pending or running.
    public var open: Int

    /// Creates an observation.
    public init(events: [String] = [], open: Int = 0) {
        self.events = events
        self.open = open
    }
}
