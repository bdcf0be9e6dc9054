import AblateCore
import AblateExecution
import AblateStore
import Foundation

/// `ablate run --backend slurm --watch`: reconciles every few seconds until every job of the sweep is
/// final, submitting retries and jobs that could not be submitted before. Stopping it (Ctrl-C) stops
/// only the watching; the jobs go on in Slurm.
public struct SlurmWatcher {
    let submitter: SlurmSubmitter
    let poll: TimeInterval

    /// Creates a watcher that reconciles every `poll` seconds.
    public init(submitter: SlurmSubmitter, poll: TimeInterval) {
        self.submitter = submitter
        self.poll = poll
    }

    /// Watches `plan`'s jobs until they are final; returns the final state counts.
    public func watch(plan: SweepPlan) throws -> [JobState: Int] {
        let keys = plan.stages.flatMap { $0.keys.map(\.hex) }
        let sync = SlurmSync(store: submitter.store, client: submitter.client)
        while true {
            Thread.sleep(forTimeInterval: poll)
            let report: SlurmSync.Report
            do {
                report = try sync.reconcile(keys: keys)
            } catch let error as SlurmError {
                // The controller can be briefly unreachable (restart, failover): say so and try again.
                submitter.report("warning: \(error.localizedDescription); trying again in \(Int(poll)) s")
                continue
            }
            for event in report.events { submitter.report(event) }
            let records = try submitter.store.jobRecords(keys: keys).values
            if records.allSatisfy({ Self.state($0).isFinal }) { return try counts(keys) }
            // Retries and jobs whose upstream was not in Slurm yet: submit what is missing.
            if records.contains(where: { !Self.state($0).isFinal && $0.openAttempt == nil }) {
                let summary = try submitter.submit(plan: plan, reconcile: false)
                // Nothing in Slurm and nothing submittable: watching would change nothing.
                if summary.submitted == 0, summary.deferred == 0, summary.active == 0 { return try counts(keys) }
            }
        }
    }

    static func state(_ record: JobRecord) -> JobState { record.state }

    /// How many of the jobs are in each state.
    func counts(_ keys: [String]) throws -> [JobState: Int] {
        let records = try submitter.store.jobRecords(keys: keys).values
        return Dictionary(records.map { (Self.state($0), 1) }, uniquingKeysWith: +)
    }
}
