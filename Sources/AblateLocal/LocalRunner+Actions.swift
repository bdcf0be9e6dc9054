import AblateCore
import AblateExecution
import AblateStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension LocalRunner {
    /// Feeds `event` to the job's state machine and performs the actions it returns.
    func apply(
        _ key: String, _ event: JobStateMachine.Event, termination: Termination? = nil, status: AttemptStatus? = nil
    ) throws {
        guard var job = jobs[key] else { return }
        let actions = job.machine.handle(event)
        jobs[key] = job
        let wasRunning = running[key] != nil
        for action in actions {
            switch action {
            case .setState(let state, let reason):
                try store.setState(
                    ofJob: key, to: state, reason: reason, outputDir: state == .running ? job.directory.url.path : nil,
                    metricsPending: state.isFinal ? metricsPending.contains(key) : (state == .running ? false : nil),
                    at: clock.now)
                if state.isFinal, metricsPending.remove(key) != nil { summary.metricsPending += 1 }
                if state == .blocked || (state == .cancelled && !wasRunning) {
                    reporter.event("\(state.rawValue) \(label(key))\(reason.map { ": \($0)" } ?? "")")
                }
                if state == .queued, let reason, reason.hasPrefix("retry") {
                    reporter.event("retry   \(label(key)): \(reason)")
                }
            case .launch(let number):
                try launch(key, attempt: number)
            case .terminate:
                terminate(key)
            case .recordAttempt(let outcome, let reason):
                guard let attempt = running[key] else { continue }
                try store.closeAttempt(
                    id: attempt.id, outcome: outcome, exitCode: termination?.exitCode, signal: termination?.signal,
                    reason: reason,
                    startedAt: status?.startedAt, endedAt: status?.endedAt ?? clock.now)
                let seconds = (status?.endedAt ?? clock.now).timeIntervalSince(status?.startedAt ?? attempt.startedAt)
                let log = outcome == .succeeded ? "" : " — log: \(job.directory.stderr.path)"
                reporter.event(
                    "\(outcome.rawValue.padding(7)) \(label(key)) (attempt \(attempt.number), \(String(format: "%.1f", seconds)) s)"
                        + (outcome == .succeeded ? "" : ": \(reason)") + log)
                slots.release(cpus: attempt.cpus, gpus: attempt.gpus)
                running[key] = nil
            }
        }
    }

    /// Prepares the job directory, opens the attempt in the store, and starts the supervisor.
    func launch(_ key: String, attempt number: Int) throws {
        guard let job = jobs[key], var attempt = running[key] else { return }
        let inputs = JobDirectory.inputs(of: job.planned, workdir: workdir)
        try job.directory.prepare(
            job: job.planned, inputs: inputs, sweep: plan.spec.name, runs: job.runs, checkpoint: job.checkpoint)
        attempt.number = number
        attempt.id = try store.openAttempt(
            jobKey: key, number: number, backend: .local, backendJobID: nil, pgid: nil, host: processes.hostName,
            at: clock.now)
        running[key] = attempt
        try recordCode(of: job, attempt: attempt.id)
        let command = job.directory.command(
            job: job.planned, stage: job.stage, inputs: inputs, checkpoint: job.checkpoint)
        var environment = ProcessInfo.processInfo.environment
        environment.merge(
            job.directory.environment(job: job.planned, attempt: number, inputs: inputs, checkpoint: job.checkpoint)
        ) { _, new in new }
        if !attempt.gpus.isEmpty || !slots.gpus.isEmpty {
            environment["CUDA_VISIBLE_DEVICES"] = attempt.gpus.joined(separator: ",")
        }
        let pid: Int32
        do {
            pid = try processes.launch(
                LaunchRequest(directory: job.directory.url, attempt: number, command: command, environment: environment)
            )
        } catch {
            reporter.event("error   \(label(key)): \(error.localizedDescription)")
            try apply(key, .ended(.exited(127)), termination: .exited(127))
            return
        }
        attempt.pid = pid
        running[key] = attempt
        try store.updateAttempt(id: attempt.id, pid: pid, pgid: pid, host: processes.hostName, startedAt: nil)
        summary.ran += 1
        reporter.event("started \(label(key)) (attempt \(number))")
        waitForExit(of: pid, key: key)
    }

    /// How long a repository's git state read for one launch serves the next ones.
    static let revisionLifetime: TimeInterval = 5

    /// Records the git state of the stage's `repo:` as the code the attempt runs.
    func recordCode(of job: Job, attempt id: Int64) throws {
        guard let repo = job.stage.repo, let provenance else { return }
        let now = clock.now
        let revision: GitRevision
        if let cached = revisions[repo], now.timeIntervalSince(cached.readAt) < Self.revisionLifetime {
            revision = cached.revision
        } else {
            revision = provenance.revision(ofRepo: repo)
            revisions[repo] = (revision, now)
        }
        try store.recordRevision(revision, forAttempt: id, at: now)
    }

    /// Posts the exit of our own child `pid` to the run loop once the process host has seen it.
    func waitForExit(of pid: Int32, key: String) {
        guard let continuation else { return }
        processes.onExit(of: pid) { continuation.yield(.exited(key: key)) }
    }

    /// SIGTERM to the attempt's process group now; SIGKILL after the grace period (see housekeeping).
    func terminate(_ key: String) {
        guard var attempt = running[key], let pid = attempt.pid else { return }
        processes.signalGroup(pid, SIGTERM)
        attempt.terminationSentAt = clock.now
        running[key] = attempt
        reporter.event("stop    \(label(key)): SIGTERM sent, SIGKILL in \(Int(options.grace)) s")
    }

    /// Handles the end of an attempt from its status files (or its disappearance without one).
    func settle(_ key: String) throws {
        guard let attempt = running[key], let job = jobs[key] else { return }
        let status = AttemptStatus.read(directory: job.directory.url, attempt: attempt.number)
        let exitedZero = status?.termination?.isSuccess ?? false
        let missing = exitedZero ? OutputContract.missing(job.stage.produces.map(\.value), in: job.directory.url) : []
        if ingest(key, final: true, succeeded: exitedZero && missing.isEmpty) {
            metricsPending.remove(key)
        } else {
            metricsPending.insert(key)
        }
        if let termination = status?.termination {
            if missing.isEmpty {
                try apply(key, .ended(termination), termination: termination, status: status)
            } else {
                try apply(
                    key, .incomplete(OutputContract.reason(missing: missing)), termination: termination, status: status)
            }
        } else {
            try apply(key, .lost, status: status)
        }
    }

    /// Ingests new lines of the job's `metrics.jsonl` (all of them, with `final`, once the job ended) and
    /// collects its stage's `collect:` results (see ``ResultIngestion``); returns whether that worked.
    /// Bad lines and files are reported and skipped; a database that cannot be written leaves the
    /// metrics pending.
    @discardableResult
    func ingest(_ key: String, final: Bool = false, succeeded: Bool? = nil) -> Bool {
        guard let job = jobs[key], let attempt = running[key] else { return true }
        let size =
            (try? FileManager.default.attributesOfItem(atPath: job.directory.metrics.path)[.size] as? UInt64) ?? 0
        let grew = size != attempt.metricsSize || final
        guard grew || job.collectsWhileRunning else { return true }
        do {
            let report = try ResultIngestion.ingest(
                store: store, jobKey: key, directory: job.directory.url, final: final, succeeded: succeeded,
                metricsFile: grew, at: clock.now)
            for warning in report.warnings(job: label(key)) { reporter.event(warning) }
            running[key]?.metricsSize = size
            return true
        } catch {
            reporter.event(
                "warning \(label(key)): metrics not ingested (\(error.localizedDescription)); they stay pending "
                    + "and the next 'ablate run', 'sync' or 'status' ingests them")
            return false
        }
    }

    /// Timeouts, SIGKILL after the grace period, adopted attempts, cancellations, metrics, leases.
    func housekeeping() throws {
        let now = clock.now
        for (key, attempt) in running {
            ingest(key)
            if attempt.adopted {
                try checkAdopted(key, attempt, now: now)
                continue
            }
            try enforceLimits(key, attempt, now: now)
        }
        // Jobs another orchestrator runs are left to it: it honours their cancellation request itself.
        let open = jobs.compactMap { key, job in
            !elsewhere.contains(key)
                && (running[key] != nil || job.machine.state == .new || job.machine.state == .queued) ? key : nil
        }
        if !open.isEmpty {
            for (key, record) in try store.jobRecords(keys: open) where record.cancelRequested {
                try apply(key, .cancel)
            }
        }
        if !elsewhere.isEmpty { try refreshElsewhere() }
        if now.timeIntervalSince(lastLeaseRenewal) > options.leaseSeconds / 4 {
            try store.renewLeases(owner: owner.description, until: now.addingTimeInterval(options.leaseSeconds))
            lastLeaseRenewal = now
        }
        showStatus()
    }

    /// Times an attempt out past its deadline, and SIGKILLs it once the grace period after SIGTERM is over.
    func enforceLimits(_ key: String, _ attempt: Attempt, now: Date) throws {
        if let deadline = attempt.deadline, now > deadline, attempt.terminationSentAt == nil {
            try apply(key, .timedOut)
        }
        if let sent = attempt.terminationSentAt, !attempt.killed, now.timeIntervalSince(sent) > options.grace,
            let pid = attempt.pid
        {
            processes.signalGroup(pid, SIGKILL)
            // The command runs in a process group of its own under ablate-wrap: kill that one too.
            if let job = jobs[key],
                let group = AttemptStatus.read(directory: job.directory.url, attempt: attempt.number)?.pid
            {
                processes.signalGroup(group, SIGKILL)
            }
            running[key]?.killed = true
            reporter.event("kill    \(label(key)): still running \(Int(options.grace)) s after SIGTERM")
        }
    }

    func showStatus() {
        var stages: [(name: String, counts: [JobState: Int])] = plan.stages.map { ($0.name, [:]) }
        for job in jobs.values { stages[job.stageIndex].counts[job.machine.state, default: 0] += 1 }
        let done = jobs.values.filter { $0.machine.state.isFinal }.count
        let runningJobs = running.keys.sorted().map { key -> (label: String, loss: Double?) in
            (label(key), try? store.runningLoss(jobKey: key))
        }
        reporter.progress(ProgressSnapshot(stages: stages, running: runningJobs, done: done, total: jobs.count))
    }
}
