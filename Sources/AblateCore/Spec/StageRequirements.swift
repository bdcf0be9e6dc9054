/// What must exist before a stage's jobs can run (`requires:`): environment variables and paths, checked
/// by `ablate plan` and `ablate run` before anything starts or is submitted.
public struct StageRequirements: Sendable, Hashable {
    /// Environment variables that must be set and not empty.
    public var environment: [Located<String>] = []
    /// Paths that must exist, with `$NAME` and `${NAME}` standing for environment variables; relative
    /// ones are relative to the directory `ablate` runs in.
    public var paths: [Located<String>] = []

    /// Creates requirements.
    public init(environment: [Located<String>] = [], paths: [Located<String>] = []) {
        self.environment = environment
        self.paths = paths
    }

    /// Whether nothing is required.
    public var isEmpty: Bool { environment.isEmpty && paths.isEmpty }
}
