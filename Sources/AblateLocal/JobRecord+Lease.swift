import AblateStore
import Foundation

extension JobRecord {
    /// The orchestrator that still supervises this job, if any: the lease holder, while its lease is
    /// unexpired at `now` and its process is alive. Cancelling, observing and resuming all leave such
    /// jobs to that orchestrator, so they ask this one question the same way.
    func liveLeaseHolder(at now: Date, processes: any ProcessHost) -> String? {
        guard let holder = leaseOwner, let expires = leaseExpires, expires > now,
            processes.isOrchestratorAlive(holder)
        else { return nil }
        return holder
    }
}
