import AblateCore
import AblateExecution
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
    /// The processes.
    public let processes: any ProcessHost
    /// The time.
    public let clock: any WallClock

    /// A canceller for `store`.
    public init(
        store: ResultStore, grace: Double = 10, processes: any ProcessHost = SystemProcessHost(),
        clock: any WallClock = SystemClock()
    ) {
        self.store = store
        self.grace = grace
        self.processes = processes
        self.clock = clock
    }

    /// What was done.
    public struct Outcome: Sendable {
        /// Jobs whose processes were signalled here.
        public var signalled = 0
        /// Jobs recorded as cancelled here (no live orchestrator supervised them).
        public var cancelled: [String] = []
    }

    /// Cancels the jobs among `keys` whose lease holder is gone; leaves the rest to their orchestrator.
    public func cancelOrphans(keys: [String]) throws -> Outcome {
        var outcome = Outcome()
        let now = clock.now
        for (key, record) in try store.jobRecords(keys: keys) {
            if record.liveLeaseHolder(at: now, processes: processes) != nil { continue }
            if let attempt = record.openAttempt {
                if let pgid = attempt.pgid, processes.isAlive(pgid) {
                    processes.signalGroup(pgid, SIGTERM)
                    // Waits in real time (a tenth of a second at a time), whatever clock is injected.
                    var waited = 0.0
                    while processes.isAlive(pgid), waited < grace {
                        usleep(100_000)
                        waited += 0.1
                    }
                    let command = record.outputDir.flatMap {
                        AttemptStatus.read(directory: URL(fileURLWithPath: $0), attempt: attempt.number)?.pid
                    }
                    if processes.isAlive(pgid) { processes.signalGroup(pgid, SIGKILL) }
                    // The command's own process group (ablate-wrap runs it in one): gone with it too.
                    if let command, processes.isAlive(command) { processes.signalGroup(command, SIGKILL) }
                    outcome.signalled += 1
                }
                try store.closeAttempt(
                    id: attempt.id, outcome: .cancelled, exitCode: nil, signal: SIGTERM,
                    reason: "cancelled by 'ablate cancel'", startedAt: nil, endedAt: clock.now)
            }
            try store.setState(ofJob: key, to: .cancelled, reason: "cancelled by 'ablate cancel'", at: clock.now)
            outcome.cancelled.append(key)
        }
        return outcome
    }
}
