import AblateExecution
import Foundation

/// How `ablate run` dispatches on the local backend.
public struct RunOptions: Sendable {
    /// At most this many jobs at a time.
    public var maxJobs: Int
    /// The machine's CPU and GPU slots.
    public var slots: SlotPool
    /// Seconds between SIGTERM and SIGKILL when a job is stopped.
    public var grace: Double
    /// Seconds between housekeeping passes (timeouts, metrics, cancellations, leases).
    public var tick: Double
    /// Seconds a lease lasts without renewal.
    public var leaseSeconds: Double
    /// Whether cancelled jobs run again (`ablate retry --failed` leaves them).
    public var rerunCancelled: Bool

    /// Options with the machine's slots; `maxJobs` defaults to its CPU count.
    public init(
        maxJobs: Int? = nil, slots: SlotPool = .detect(), grace: Double = 10, tick: Double = 0.25,
        leaseSeconds: Double = 60, rerunCancelled: Bool = true
    ) {
        self.rerunCancelled = rerunCancelled
        self.maxJobs = max(1, maxJobs ?? slots.cpus)
        self.slots = slots
        self.grace = grace
        self.tick = tick
        self.leaseSeconds = leaseSeconds
    }
}
