import AblateCore
import AblateExecution
import AblateStore
import Foundation

/// The Slurm backend: jobs are submitted with `sbatch` as job arrays with exact dependencies
/// (``SlurmSubmitter``), and `ablate run` returns; `ablate sync`, `ablate status` and `--watch`
/// reconcile the store with the controller and the job directories (``SlurmSync``).
public struct SlurmBackend: Backend {
    /// `.slurm`.
    public var kind: BackendKind { .slurm }
    /// The results database (written only on the submitting machine).
    public let store: ResultStore
    /// sbatch, squeue, scontrol and scancel.
    public let client: any SlurmClient
    /// The `ablate-wrap` executable, at a path compute nodes see.
    public let wrapper: String
    /// Reads each stage's `repo:` for the attempts' code provenance.
    public let provenance: (any CodeProvenance)?

    /// A backend over `store`, with the real Slurm commands unless another client is given.
    public init(
        store: ResultStore, client: any SlurmClient = SlurmCommandClient(), wrapper: String? = nil,
        provenance: (any CodeProvenance)? = nil
    ) {
        self.store = store
        self.client = client
        self.wrapper = wrapper ?? WrapperLocation.resolve()
        self.provenance = provenance
    }

    /// Submits what `plan` still needs and returns; with ``DispatchOptions/watch``, reconciles until every
    /// job is final, submitting retries.
    public func start(
        _ plan: SweepPlan, options: DispatchOptions, reporter: any DispatchReporter
    ) async throws
        -> DispatchSummary
    {
        if let problem = BatchScript.problem(withDirectory: options.workdir.path) {
            throw ExecutionError.unusableWorkdir(problem)
        }
        let submitter = SlurmSubmitter(
            store: store, client: client, workdir: options.workdir,
            options: .init(
                maxRunning: options.maxRunning, arrays: options.arrays, resubmitCancelled: options.rerunCancelled,
                wrapper: wrapper),
            provenance: provenance, report: reporter.event)
        let summary = try submitter.submit(plan: plan)
        guard options.watch else {
            let hint = "follow it with 'ablate status \(plan.spec.name)' (reconciles with Slurm) or 'ablate sync'"
            return DispatchSummary(text: summary.text + "\n" + hint, exitCode: summary.refused > 0 ? 1 : 0)
        }
        reporter.event(summary.text)
        let counts = try SlurmWatcher(submitter: submitter, poll: options.poll).watch(plan: plan)
        let text = JobState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }
        return DispatchSummary(
            text: "done: " + text.joined(separator: ", "), exitCode: counts.keys.allSatisfy { $0 == .succeeded } ? 0 : 1
        )
    }

    /// Reconciles the open Slurm attempts of the given jobs (or of every job).
    public func observe(keys: [String]?) throws -> Observation {
        let report = try SlurmSync(store: store, client: client).reconcile(keys: keys)
        return Observation(events: report.events, open: report.open)
    }

    /// `scancel`s the given jobs that are in Slurm and waits until Slurm reports them cancelled.
    public func cancel(keys: [String]) throws -> [String] {
        try SlurmCanceller(store: store, client: client).cancel(keys: keys)
    }
}
