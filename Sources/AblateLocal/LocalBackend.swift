import AblateCore
import AblateExecution
import AblateStore
import Foundation

/// The local backend: jobs run as processes on this machine, within its CPU and GPU slots, supervised
/// by the foreground `ablate run` (``LocalRunner``).
public struct LocalBackend: Backend {
    /// `.local`.
    public var kind: BackendKind { .local }
    /// The results database.
    public let store: ResultStore
    /// The processes of this machine.
    public let processes: any ProcessHost
    /// The time.
    public let clock: any WallClock
    /// Reads each stage's `repo:` for the attempts' code provenance.
    public let provenance: (any CodeProvenance)?

    /// A backend over `store`, with the real processes and clock unless others are given.
    public init(
        store: ResultStore, processes: any ProcessHost = SystemProcessHost(), clock: any WallClock = SystemClock(),
        provenance: (any CodeProvenance)? = nil
    ) {
        self.store = store
        self.processes = processes
        self.clock = clock
        self.provenance = provenance
    }

    /// Runs every job of `plan` not yet succeeded, here, until all are final or the run is interrupted.
    public func start(
        _ plan: SweepPlan, options: DispatchOptions, reporter: any DispatchReporter
    ) async throws
        -> DispatchSummary
    {
        let runOptions = RunOptions(
            maxJobs: options.maxJobs, slots: .detect(cpus: options.cpus, gpus: options.gpus), grace: options.grace,
            rerunCancelled: options.rerunCancelled)
        let runner = LocalRunner(
            store: store, plan: plan, workdir: options.workdir, processes: processes, clock: clock,
            provenance: provenance, options: runOptions, reporter: reporter)
        let summary = try await runner.run(handleSignals: options.handleSignals)
        return DispatchSummary(text: summary.text, exitCode: summary.exitCode)
    }

    /// Settles the open local attempts of jobs whose orchestrator is gone: an attempt that finished
    /// while nobody watched is recorded from its status files, one whose supervisor vanished without
    /// an exit status as lost. Attempts a live orchestrator supervises are left to it.
    public func observe(keys: [String]?) throws -> Observation {
        var observation = Observation()
        let records = try store.jobRecords(keys: keys ?? store.openAttemptJobKeys(backend: .local))
        let now = clock.now
        for record in records.values.sorted(by: { $0.id < $1.id }) {
            guard let open = record.openAttempt, open.backend == .local else { continue }
            if record.liveLeaseHolder(at: now, processes: processes) != nil {
                observation.open += 1
                continue
            }
            guard let outputDir = record.outputDir else { continue }
            let directory = URL(fileURLWithPath: outputDir)
            let status = AttemptStatus.read(directory: directory, attempt: open.number)
            let label = "\(record.stage) \(record.key.prefix(12))"
            if let termination = status?.termination {
                let produces = try store.collectableJobs(keys: [record.key]).first?.produces ?? []
                let missing = termination.isSuccess ? OutputContract.missing(produces, in: directory) : []
                let succeeded = termination.isSuccess && missing.isEmpty
                let ingested =
                    (try? ResultIngestion.ingest(
                        store: store, jobKey: record.key, directory: directory, final: true, succeeded: succeeded,
                        at: now)) != nil
                let outcome: AttemptState = succeeded ? .succeeded : .failed
                let why = missing.isEmpty ? termination.description : OutputContract.reason(missing: missing)
                try store.closeAttempt(
                    id: open.id, outcome: outcome, exitCode: termination.exitCode, signal: termination.signal,
                    reason: succeeded ? "exit 0" : why, startedAt: status?.startedAt, endedAt: status?.endedAt ?? now)
                try store.setState(
                    ofJob: record.key, to: succeeded ? .succeeded : .failed,
                    reason: succeeded ? nil : "\(why) (finished while no orchestrator watched)",
                    metricsPending: !ingested, at: now)
                observation.events.append(
                    "\(outcome.rawValue.padding(7)) \(label) (attempt \(open.number), finished while no orchestrator watched)"
                )
            } else if let pid = status?.wrapperPID ?? open.pgid, processes.isSupervisor(pid, directory: directory) {
                observation.open += 1
            } else if status != nil || now.timeIntervalSince(open.startedAt ?? now) > LocalRunner.startGrace {
                try store.closeAttempt(
                    id: open.id, outcome: .lost, exitCode: nil, signal: nil,
                    reason: "the process vanished without an exit status", startedAt: nil, endedAt: now)
                try store.setState(
                    ofJob: record.key, to: .new, reason: "its attempt was lost; 'ablate run' runs it again", at: now)
                observation.events.append("lost    \(label) (attempt \(open.number)); 'ablate run' runs it again")
            } else {
                observation.open += 1
            }
        }
        return observation
    }

    /// Stops the given jobs that no live orchestrator supervises (SIGTERM, then SIGKILL after the grace
    /// period) and records them as cancelled; a live orchestrator stops the others itself, having seen
    /// the cancellation request.
    public func cancel(keys: [String]) throws -> [String] {
        try Canceller(store: store, processes: processes, clock: clock).cancelOrphans(keys: keys).cancelled
    }
}
