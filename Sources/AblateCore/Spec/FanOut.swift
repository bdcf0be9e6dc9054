/// A stage's `over: checkpoints` (or `over: {checkpoints: [500, 1000]}`): it runs once per checkpoint of
/// the upstream stage that declares `checkpoints`, rather than once on that stage's final output.
public struct FanOut: Sendable, Hashable {
    /// The subset of the upstream's checkpoint steps, or `nil` for all of them.
    public var steps: [Located<Int>]?
    /// Where `over:` was written.
    public var location: SourceLocation

    /// Creates a fan-out.
    public init(steps: [Located<Int>]? = nil, location: SourceLocation) {
        self.steps = steps
        self.location = location
    }
}
