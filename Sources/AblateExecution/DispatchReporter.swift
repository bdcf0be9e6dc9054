import AblateCore

/// Where a backend tells what happens while it dispatches: one line per event, and, for terminals, a
/// live per-stage display. The command line prints them; tests record them.
public protocol DispatchReporter: Sendable {
    /// One event: `started pretrain 0123456789ab (attempt 1)`.
    func event(_ text: String)

    /// The current per-stage counts and the running jobs with their latest loss.
    func progress(_ snapshot: ProgressSnapshot)
}

extension DispatchReporter {
    /// Reporters that show only events ignore snapshots.
    public func progress(_ snapshot: ProgressSnapshot) {}
}

/// A moment of a local run, for a live display.
public struct ProgressSnapshot: Sendable {
    /// Each stage with its jobs per state, in DAG order.
    public var stages: [(name: String, counts: [JobState: Int])]
    /// Running jobs (`stage key`) with their latest loss.
    public var running: [(label: String, loss: Double?)]
    /// Jobs that are final.
    public var done: Int
    /// Jobs in all.
    public var total: Int

    /// Creates a snapshot.
    public init(
        stages: [(name: String, counts: [JobState: Int])], running: [(label: String, loss: Double?)], done: Int,
        total: Int
    ) {
        self.stages = stages
        self.running = running
        self.done = done
        self.total = total
    }
}
