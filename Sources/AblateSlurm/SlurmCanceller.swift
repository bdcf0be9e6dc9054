import AblateStore
import Foundation

/// `ablate cancel` for jobs in Slurm: `scancel` their job or array-task IDs, then reconcile until Slurm
/// reports them cancelled (or a few seconds pass).
public struct SlurmCanceller {
    let store: ResultStore
    let client: any SlurmClient

    /// Creates a canceller.
    public init(store: ResultStore, client: any SlurmClient) {
        self.store = store
        self.client = client
    }

    /// Cancels the Slurm jobs among `keys`; returns the keys that were in Slurm.
    public func cancel(keys: [String], wait: TimeInterval = 15) throws -> [String] {
        let ids = try store.slurmIDs(ofJobs: keys)
        guard !ids.isEmpty else { return [] }
        try client.cancel(ids.values.sorted())
        let sync = SlurmSync(store: store, client: client)
        let deadline = Date().addingTimeInterval(wait)
        let cancelled = Array(ids.keys)
        while try sync.reconcile(keys: cancelled).open > 0, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.5)
        }
        return cancelled.sorted()
    }
}
