import AblateCore
import AblateExecution
import AblateStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a sweep's jobs: dispatches ready jobs in DAG order within the slots, supervises them
/// (timeouts, retries, cancellation, live metric ingestion), and survives its own crash: a re-run
/// adopts attempts that are still alive or finished unwatched, re-runs attempts that vanished, and
/// never runs a succeeded job again. Leases keep two orchestrators off the same job.
///
/// Every state change goes through ``JobStateMachine`` and is written to the store in its own
/// transaction before the next one happens. Readiness is ``JobReadiness``, the rule every backend
/// applies. Processes and time come from the injected ``ProcessHost`` and `WallClock`, so that every
/// decision can be tested without processes and without waiting.
public final class LocalRunner {
    /// Something the run loop reacts to.
    enum Event: Sendable {
        case exited(key: String)
        case tick
        case interrupt
    }

    /// A job of the sweep, with what the loop needs to know about it.
    struct Job {
        let planned: PlannedJob
        let stage: Stage
        let stageIndex: Int
        let directory: JobDirectory
        let upstream: [String]
        var runs: [String]
        var machine: JobStateMachine
        /// For a job that fans out over checkpoints: the checkpoint it runs on.
        var checkpoint: CheckpointInput? = nil

        /// Whether a collector of its stage reads files while the job runs (training logs).
        var collectsWhileRunning: Bool { stage.collect.contains { $0.kind.collectsWhileRunning } }
    }

    /// An attempt in progress.
    struct Attempt {
        var id: Int64
        var number: Int
        var pid: Int32?
        var startedAt: Date
        var deadline: Date?
        var terminationSentAt: Date?
        var killed = false
        var adopted: Bool
        var cpus: Int
        var gpus: [String]
        var metricsSize: UInt64 = 0
    }

    let store: ResultStore
    let plan: SweepPlan
    let processes: any ProcessHost
    let clock: any WallClock
    let provenance: (any CodeProvenance)?
    /// Each stage repository's git state, read at most every ``revisionLifetime`` seconds.
    var revisions: [String: (revision: GitRevision, readAt: Date)] = [:]
    let options: RunOptions
    let reporter: any DispatchReporter
    let workdir: URL
    let owner: OrchestratorIdentity
    var slots: SlotPool
    var jobs: [String: Job] = [:]
    var order: [String] = []
    var running: [String: Attempt] = [:]
    var elsewhere: Set<String> = []
    /// Jobs whose last ingestion failed: they end with their metrics marked pending.
    var metricsPending: Set<String> = []
    var interrupted = false
    var summary = RunSummary()
    var lastLeaseRenewal: Date
    var continuation: AsyncStream<Event>.Continuation?

    /// Prepares a run of `plan` with job directories under `workdir`.
    public init(
        store: ResultStore, plan: SweepPlan, workdir: URL, processes: any ProcessHost = SystemProcessHost(),
        clock: any WallClock = SystemClock(), provenance: (any CodeProvenance)? = nil, options: RunOptions,
        reporter: any DispatchReporter
    ) {
        self.provenance = provenance
        self.store = store
        self.plan = plan
        self.workdir = workdir
        self.processes = processes
        self.clock = clock
        self.options = options
        self.reporter = reporter
        self.slots = options.slots
        self.owner = processes.orchestrator
        self.lastLeaseRenewal = clock.now
    }

    /// Runs the sweep until every job is final (or the run is interrupted) and returns the summary.
    ///
    /// - Parameter handleSignals: Whether SIGINT and SIGTERM stop the run cleanly (the command line
    ///   sets this; tests that run several orchestrators in one process do not).
    public func run(handleSignals: Bool = true) async throws -> RunSummary {
        let (events, continuation) = AsyncStream<Event>.makeStream()
        self.continuation = continuation
        var signalSources: [any DispatchSourceSignal] = []
        if handleSignals {
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { continuation.yield(.interrupt) }
                source.resume()
                signalSources.append(source)
            }
        }
        let tick = options.tick
        let clock = self.clock
        let ticker = Task {
            while !Task.isCancelled {
                await clock.sleep(seconds: tick)
                continuation.yield(.tick)
            }
        }
        defer {
            ticker.cancel()
            for source in signalSources { source.cancel() }
            continuation.finish()
            try? store.releaseLeases(owner: owner.description)
        }

        try prepare()
        try dispatch()
        for await event in events {
            if isFinished { break }
            switch event {
            case .exited(let key):
                try settle(key)
            case .tick:
                try housekeeping()
            case .interrupt:
                if !interrupted {
                    interrupted = true
                    reporter.event(
                        "interrupted: stopping \(running.count) running job(s); run the same command again to resume")
                    for key in running.keys.sorted() { try apply(key, .cancel) }
                }
            }
            if !interrupted { try dispatch() }
            if isFinished { break }
        }
        return finish()
    }

    /// Every job is final, or the run was interrupted and nothing runs any more.
    var isFinished: Bool {
        if interrupted { return running.isEmpty }
        return running.isEmpty && elsewhere.isEmpty && jobs.values.allSatisfy { $0.machine.state.isFinal }
    }

    // MARK: - Dispatch

    /// Starts every ready job that fits, in DAG order; blocks jobs whose upstream failed.
    func dispatch() throws {
        for key in order {
            guard var job = jobs[key], job.machine.state == .new || job.machine.state == .queued,
                running[key] == nil, !elsewhere.contains(key)
            else { continue }
            var upstreamStates = job.upstream.map { jobs[$0]?.machine.state ?? .succeeded }
            // A job on a checkpoint waits for the checkpoint, not for the end of the training.
            let trainingIndex = job.checkpoint.flatMap { checkpoint in
                job.upstream.firstIndex(of: checkpoint.job.hex)
            }
            if let checkpoint = job.checkpoint, let index = trainingIndex {
                upstreamStates[index] = checkpoint.effectiveState(of: upstreamStates[index])
            }
            switch JobReadiness.of(job.machine.state, upstream: upstreamStates) {
            case .blocked(let index):
                guard let upstream = jobs[job.upstream[index]] else { continue }
                if index == trainingIndex, let checkpoint = job.checkpoint {
                    try apply(key, .checkpointMissing(checkpoint.missingReason(training: upstream.machine.state)))
                    continue
                }
                try apply(key, .upstreamFailed("\(upstream.planned.stage) \(upstream.planned.key.short)"))
                continue
            case .wait, .reuse:
                continue
            case .ready:
                break
            }
            guard running.count < options.maxJobs else { return }
            let resources = job.stage.resources
            if let reason = slots.impossibility(cpus: resources.cpus, gpus: resources.gpus) {
                job.machine = JobStateMachine(state: .failed, attempt: job.machine.attempt)
                jobs[key] = job
                try store.setState(ofJob: key, to: .failed, reason: reason)
                reporter.event("failed  \(label(key)): \(reason)")
                continue
            }
            guard let gpus = slots.acquire(cpus: resources.cpus, gpus: resources.gpus) else { continue }
            let now = clock.now
            let claimed = try store.claim(
                jobKey: key, owner: owner.description, until: now.addingTimeInterval(options.leaseSeconds), now: now,
                isAlive: processes.isOrchestratorAlive)
            guard claimed else {
                slots.release(cpus: resources.cpus, gpus: gpus)
                elsewhere.insert(key)
                reporter.event("waiting \(label(key)): another ablate process is running it")
                continue
            }
            running[key] = Attempt(
                id: 0, number: job.machine.attempt + 1, pid: nil, startedAt: now,
                deadline: job.stage.timeoutSeconds.map { now.addingTimeInterval($0) }, adopted: false,
                cpus: resources.cpus, gpus: gpus)
            try apply(key, .start)
        }
    }

    func label(_ key: String) -> String {
        guard let job = jobs[key] else { return String(key.prefix(12)) }
        return "\(job.planned.stage) \(job.planned.key.short)"
    }
}
