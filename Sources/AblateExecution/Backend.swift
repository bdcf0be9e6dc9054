import AblateCore

/// Where jobs run: the one seam between composition (``BackendKind`` chosen by `--backend`) and the
/// modules that start, watch and stop attempts (`AblateLocal`, `AblateSlurm`).
///
/// Every backend follows the same execution protocol: it prepares each job's ``JobDirectory``, runs the
/// job's command under `ablate-wrap` (which writes ``AttemptStatus`` files), records attempts and job
/// states in the results database, and ingests `metrics.jsonl`. A job's non-zero exit is a recorded
/// result; these methods throw only when the backend itself cannot work (no supervisor, no controller).
///
/// A third backend is a new module with one type conforming to this protocol, plus one case of
/// ``BackendKind``.
public protocol Backend: Sendable {
    /// Which backend this is; attempts it opens record it.
    var kind: BackendKind { get }

    /// Starts or submits every job of `plan` that has not succeeded.
    ///
    /// The local backend runs them here and returns when every job is final (or the run was
    /// interrupted); Slurm submits them and returns at once, unless ``DispatchOptions/watch`` is set.
    func start(
        _ plan: SweepPlan, options: DispatchOptions, reporter: any DispatchReporter
    ) async throws
        -> DispatchSummary

    /// Reconciles the store with what the backend knows of the open attempts of the given jobs (or of
    /// every job when `keys` is `nil`): exits, requeues, metrics.
    func observe(keys: [String]?) throws -> Observation

    /// Stops the given jobs, whose open attempts this backend runs, and records them as cancelled.
    /// Returns the keys of the jobs it stopped.
    func cancel(keys: [String]) throws -> [String]
}
