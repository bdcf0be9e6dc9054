import AblateCore
import AblateExecution
import AblateStore
import Foundation

/// Submits a sweep's missing jobs to Slurm and returns: `ablate run SPEC --backend slurm`.
///
/// First reconciles with the controller (``SlurmSync``), so that a job pending or running in Slurm is
/// never submitted twice and a submission interrupted by a crash is found again. Then, stage by stage
/// in dependency order, it submits every job that has not succeeded and is not in Slurm: siblings as
/// job arrays (``SlurmArrayPlanner``) with exact `afterok`/`aftercorr` dependencies on their upstream
/// jobs, one ``BatchScript`` per submission. Each submission is recorded before `sbatch` runs and
/// confirmed with its job ID right after.
public struct SlurmSubmitter {
    /// How jobs are submitted.
    public struct Options: Sendable {
        /// At most this many tasks of one array run at a time (overrides the spec's `slurm.max_running`).
        public var maxRunning: Int?
        /// Whether siblings go out as job arrays (`false`: one sbatch per job).
        public var arrays: Bool
        /// Whether cancelled jobs are submitted again (`ablate retry --failed` leaves them).
        public var resubmitCancelled: Bool
        /// The `ablate-wrap` executable, at a path compute nodes see.
        public var wrapper: String

        /// Creates options.
        public init(maxRunning: Int? = nil, arrays: Bool = true, resubmitCancelled: Bool = true, wrapper: String) {
            self.maxRunning = maxRunning
            self.arrays = arrays
            self.resubmitCancelled = resubmitCancelled
            self.wrapper = wrapper
        }
    }

    /// What a submission pass did.
    public struct Summary: Sendable {
        /// Jobs submitted now.
        public var submitted = 0
        /// sbatch calls made.
        public var submissions = 0
        /// Of which job arrays.
        public var arrays = 0
        /// Jobs that had already succeeded (reused).
        public var reused = 0
        /// Jobs already pending or running in Slurm (not submitted again).
        public var active = 0
        /// Jobs sbatch refused, and jobs blocked because an upstream job did not succeed.
        public var refused = 0
        /// Jobs left out: cancelled ones when they are not to be resubmitted, and jobs whose upstream job is
        /// neither done nor in Slurm.
        public var deferred = 0

        /// `submitted 12 job(s) in 3 sbatch call(s) (2 arrays); 4 reused; 0 already in Slurm`.
        public var text: String {
            var text =
                "submitted \(submitted) job(s) in \(submissions) sbatch call(s) (\(arrays) array(s)); \(reused) reused; "
                + "\(active) already in Slurm"
            if refused > 0 { text += "; \(refused) refused or blocked" }
            if deferred > 0 { text += "; \(deferred) left out (cancelled, or after a job not done and not in Slurm)" }
            return text
        }
    }

    let store: ResultStore
    let client: any SlurmClient
    let workdir: URL
    let options: Options
    let provenance: (any CodeProvenance)?
    let report: (String) -> Void

    /// Creates a submitter; `report` receives one line per event, `provenance` reads each stage's
    /// `repo:` for the code provenance of the attempts it submits.
    public init(
        store: ResultStore, client: any SlurmClient, workdir: URL, options: Options,
        provenance: (any CodeProvenance)? = nil, report: @escaping (String) -> Void
    ) {
        self.store = store
        self.client = client
        self.workdir = workdir
        self.options = options
        self.provenance = provenance
        self.report = report
    }

    /// Submits what `plan` still needs.
    ///
    /// - Parameters:
    ///   - reconcile: Whether to reconcile with Slurm first (`false` when the caller just did).
    ///   - only: Submit only these jobs (by key), for `ablate sync`'s submission of jobs whose checkpoint
    ///     became ready; every other job is left as it is.
    public func submit(plan: SweepPlan, reconcile: Bool = true, only: Set<String>? = nil) throws -> Summary {
        let keys = plan.stages.flatMap { $0.keys.map(\.hex) }
        if reconcile {
            for event in try SlurmSync(store: store, client: client).reconcile(keys: keys).events { report(event) }
        }
        let records = try store.jobRecords(keys: keys)
        var refs: [String: SlurmJobRef] = [:]
        var active = Set<String>()
        var local = 0
        for record in records.values {
            guard let open = record.openAttempt else { continue }
            guard open.backend == .slurm else {
                local += 1
                continue
            }
            active.insert(record.key)
            if let ref = open.backendJobID.flatMap(SlurmJobRef.init) { refs[record.key] = ref }
        }
        if local > 0 { throw SlurmError.runningLocally(local) }
        let maxArraySize = options.arrays ? try client.maxArraySize() : 1
        let runs = plan.runIDsByJob()
        var summary = Summary()
        var failed = Set<String>()
        var revisions: [String: GitRevision] = [:]
        for stage in plan.stages {
            var items: [SlurmArrayPlanner.Item] = []
            var jobs: [String: PlannedJob] = [:]
            for index in 0..<stage.jobCount {
                let job = plan.job(stage: stage.index, index: index)
                let key = job.key.hex
                if let only, !only.contains(key) { continue }
                if active.contains(key) {
                    summary.active += 1
                    continue
                }
                if !options.resubmitCancelled, records[key]?.state == .cancelled {
                    summary.deferred += 1
                    continue
                }
                // Upstream jobs as the readiness rule sees them now: in Slurm (waiting, with a dependency),
                // refused or blocked in this pass (failed), done, or neither (submitted by a later pass).
                var upstreamStates = job.upstream.map { upstream -> JobState in
                    let upstreamKey = upstream.key.hex
                    if refs[upstreamKey] != nil { return .queued }
                    if failed.contains(upstreamKey) { return .failed }
                    return records[upstreamKey]?.state == .succeeded ? .succeeded : .new
                }
                // A job on a checkpoint: submitted without a dependency once the checkpoint is ready; the
                // last checkpoint's after the training (afterok); an intermediate one waits for a later
                // `sync` or `--watch` while the training is in Slurm.
                let checkpoint = CheckpointInput(
                    of: job, stage: stage.stage, fanOut: plan.spec.fanOut, workdir: workdir)
                var independentOf: String?
                let trainingIndex = checkpoint.flatMap { input in job.upstream.firstIndex { $0.key == input.job } }
                if let checkpoint, let index = trainingIndex {
                    let training = upstreamStates[index]
                    if checkpoint.isReady, !checkpoint.isLast || training == .succeeded {
                        upstreamStates[index] = .succeeded
                        independentOf = checkpoint.job.hex
                    } else if training == .queued, !checkpoint.isLast {
                        summary.deferred += 1
                        continue
                    } else if training != .queued {
                        let recorded = records[checkpoint.job.hex]?.state ?? .new
                        upstreamStates[index] = checkpoint.effectiveState(of: recorded)
                    }
                }
                switch JobReadiness.of(records[key]?.state ?? .new, upstream: upstreamStates) {
                case .reuse:
                    summary.reused += 1
                    continue
                case .blocked(let index):
                    let upstream = job.upstream[index]
                    let reason =
                        index == trainingIndex
                        ? checkpoint!.missingReason(training: records[upstream.key.hex]?.state ?? .new)
                        : "upstream job \(upstream.stage) \(upstream.key.short) did not succeed"
                    try store.setState(ofJob: key, to: .blocked, reason: reason)
                    failed.insert(key)
                    summary.refused += 1
                    continue
                case .wait where upstreamStates.contains(.new):
                    summary.deferred += 1
                    continue
                case .wait, .ready:
                    break
                }
                let dependencies = job.upstream.filter { $0.key.hex != independentOf }.compactMap { refs[$0.key.hex] }
                items.append(.init(key: key, dependencies: dependencies))
                jobs[key] = job
            }
            for group in SlurmArrayPlanner.plan(items, maxArraySize: maxArraySize, arrays: options.arrays) {
                let planned = group.tasks.map { jobs[$0.key]! }
                do {
                    let jobID = try submit(
                        group, jobs: planned, stage: stage.stage, plan: plan, records: records, runs: runs)
                    if let repo = stage.stage.repo, let provenance {
                        let revision = revisions[repo] ?? provenance.revision(ofRepo: repo)
                        revisions[repo] = revision
                        try store.recordRevision(revision, forSubmissionOf: group.tasks.map(\.key))
                    }
                    for task in group.tasks { refs[task.key] = SlurmJobRef(jobID: jobID, task: task.index) }
                    summary.submitted += group.tasks.count
                    summary.submissions += 1
                    if group.isArray { summary.arrays += 1 }
                } catch SlurmError.submissionRefused(_, let message) {
                    failed.formUnion(group.tasks.map(\.key))
                    summary.refused += group.tasks.count
                    report("refused \(stage.name): sbatch refused \(group.tasks.count) job(s): \(message)")
                }
            }
        }
        return summary
    }
}
