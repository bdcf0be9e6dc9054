import AblateCore
import AblateStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Stops jobs that no live orchestrator supervises (its orchestrator was killed): signals their process
/// groups, waits for their exit files, and records them as cancelled.
public struct Canceller: Sendable {
    /// The store.
    public let store: ResultStore
    /// Seconds between SIGTERM and SIGKILL.
    public var grace: Double = 10

    /// A canceller for `store`.
    public init(store: ResultStore, grace: Double = 10) {
        self.store = store
        self.grace = grace
    }

    /// What was done.
    public struct Outcome: Sendable {
        /// Jobs whose processes were signalled here.
        public var signalled = 0
    }

    /// Cancels the jobs among `keys` whose lease holder is gone; leaves the rest to their orchestrator.
    public func cancelOrphans(keys: [String]) throws -> Outcome {
        var outcome = Outcome()
        let now = Date()
        for (key, record) in try store.jobRecords(keys: keys) {
            if let holder = record.leaseOwner, OrchestratorIdentity.isAlive(holder),
                (record.leaseExpires ?? .distantPast) > now
            {
                continue
            }
            if let attempt = record.openAttempt {
                if let pgid = attempt.pgid, ProcessControl.isAlive(pgid) {
                    ProcessControl.signalGroup(pgid, SIGTERM)
                    let deadline = Date().addingTimeInterval(grace)
                    while ProcessControl.isAlive(pgid), Date() < deadline { usleep(100_000) }
                    if ProcessControl.isAlive(pgid) { ProcessControl.signalGroup(pgid, SIGKILL) }
                    outcome.signalled += 1
                }
                try store.closeAttempt(
                    id: attempt.id, outcome: "cancelled", exitCode: nil, signal: SIGTERM,
                    reason: "cancelled by 'ablate cancel'", startedAt: nil, endedAt: Date())
            }
            try store.setState(ofJob: key, to: JobState.cancelled.rawValue, reason: "cancelled by 'ablate cancel'")
        }
        return outcome
    }
}
