import AblateCore
import AblateExecution
import AblateStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension LocalRunner {
    /// How long an attempt may exist in the store without a supervisor having written its start file
    /// before it counts as lost (the orchestrator died between recording and starting it).
    static let startGrace: TimeInterval = 10

    /// Builds the job table from the plan and the store, settling or adopting attempts that a previous
    /// orchestrator left behind.
    func prepare() throws {
        let runsOfJob = plan.runIDsByJob()
        for stage in plan.stages {
            for index in 0..<stage.jobCount {
                let planned = plan.job(stage: stage.index, index: index)
                let key = planned.key.hex
                jobs[key] = Job(
                    planned: planned, stage: stage.stage, stageIndex: stage.index,
                    directory: JobDirectory(workdir: workdir, stage: stage.name, key: planned.key),
                    upstream: planned.upstream.map(\.key.hex), runs: runsOfJob[key] ?? [],
                    machine: JobStateMachine(retries: stage.stage.retries),
                    checkpoint: CheckpointInput(
                        of: planned, stage: stage.stage, fanOut: plan.spec.fanOut, workdir: workdir))
                order.append(key)
            }
        }
        let records = try store.jobRecords(keys: order)
        let elsewhereAttempts = records.values.filter { ($0.openAttempt?.backend ?? .local) != .local }.count
        if elsewhereAttempts > 0 { throw ExecutionError.submittedToSlurm(elsewhereAttempts) }
        let now = clock.now
        for key in order {
            guard let record = records[key], var job = jobs[key] else { continue }
            let retries = job.stage.retries
            let lastNumber = record.attempts.last?.number ?? 0
            switch record.state {
            case .succeeded:
                job.machine = JobStateMachine(state: .succeeded, attempt: lastNumber, retries: retries)
                summary.reused += 1
            case .cancelled where !options.rerunCancelled:
                // `ablate retry --failed` leaves cancelled jobs (and what they block) alone.
                job.machine = JobStateMachine(state: .cancelled, attempt: lastNumber, retries: retries)
            case .failed, .cancelled, .blocked, .new:
                // `ablate run` runs unsuccessful jobs again, with a fresh retry budget.
                job.machine = JobStateMachine(state: .new, attempt: lastNumber, retries: retries)
            case .queued, .running:
                if let holder = record.liveLeaseHolder(at: now, processes: processes), holder != owner.description {
                    job.machine = JobStateMachine(state: .queued, attempt: lastNumber, retries: retries)
                    jobs[key] = job
                    elsewhere.insert(key)
                    continue
                }
                job.machine = JobStateMachine(
                    state: .queued, attempt: lastNumber, retries: retries, failures: record.failures)
                if let open = record.openAttempt {
                    jobs[key] = job
                    try adopt(key, record: record, attempt: open, now: now)
                    continue
                } else if record.attempts.last?.state == .succeeded {
                    job.machine = JobStateMachine(state: .succeeded, attempt: lastNumber, retries: retries)
                    try store.setState(ofJob: key, to: .succeeded, reason: nil, at: now)
                } else if record.state == .running {
                    try store.setState(ofJob: key, to: .queued, reason: "resumed", at: now)
                }
            }
            jobs[key] = job
        }
    }

    /// Takes over an attempt a previous orchestrator started: settles it if it finished unwatched,
    /// watches it if its supervisor still runs, declares it lost otherwise.
    func adopt(_ key: String, record: JobRecord, attempt open: JobRecord.Attempt, now: Date) throws {
        guard var job = jobs[key] else { return }
        _ = try store.claim(
            jobKey: key, owner: owner.description, until: now.addingTimeInterval(options.leaseSeconds), now: now,
            isAlive: processes.isOrchestratorAlive)
        job.machine = JobStateMachine(
            state: .running, attempt: open.number, retries: job.stage.retries, failures: record.failures)
        jobs[key] = job
        let status = AttemptStatus.read(directory: job.directory.url, attempt: open.number)
        let pid = status?.wrapperPID ?? open.backendJobID.flatMap { Int32($0) }
        let resources = job.stage.resources
        // The adopted process holds its slots already; when this run has fewer free (a smaller --cpus or
        // --gpus), it takes none, so that releasing them later credits nothing it never took.
        let gpus = slots.acquire(cpus: resources.cpus, gpus: resources.gpus)
        running[key] = Attempt(
            id: open.id, number: open.number, pid: pid, startedAt: open.startedAt ?? now,
            deadline: job.stage.timeoutSeconds.map {
                (status?.startedAt ?? open.startedAt ?? now).addingTimeInterval($0)
            },
            adopted: true, cpus: gpus == nil ? 0 : resources.cpus, gpus: gpus ?? [])
        summary.ran += 1
        if status?.termination != nil {
            reporter.event("adopted \(label(key)) (attempt \(open.number) finished while no orchestrator watched)")
            try settle(key)
        } else if let pid, isSupervisor(pid, of: job) {
            if open.pgid == nil {
                try store.updateAttempt(
                    id: open.id, pid: pid, pgid: pid, host: status?.host, startedAt: status?.startedAt)
            }
            reporter.event("adopted \(label(key)) (attempt \(open.number) still running, pid \(pid))")
        } else if pid == nil, now.timeIntervalSince(open.startedAt ?? now) < Self.startGrace {
            reporter.event("adopted \(label(key)) (attempt \(open.number) is starting)")
        } else {
            try settle(key)
        }
    }

    /// Whether `pid` is the `ablate-wrap` supervising `job` (and not a process that reused the ID).
    func isSupervisor(_ pid: Int32, of job: Job) -> Bool {
        processes.isSupervisor(pid, directory: job.directory.url)
    }

    /// Watches an adopted attempt (not our child, so no waitpid): its exit file, or its disappearance.
    func checkAdopted(_ key: String, _ attempt: Attempt, now: Date) throws {
        guard let job = jobs[key] else { return }
        let status = AttemptStatus.read(directory: job.directory.url, attempt: attempt.number)
        if status?.termination != nil {
            try settle(key)
            return
        }
        var attempt = attempt
        if attempt.pid == nil, let wrapper = status?.wrapperPID {
            attempt.pid = wrapper
            running[key] = attempt
            try store.updateAttempt(
                id: attempt.id, pid: wrapper, pgid: wrapper, host: status?.host, startedAt: status?.startedAt)
            // A stop asked for while the attempt was still starting is sent now that it has a process.
            if job.machine.terminating != nil, attempt.terminationSentAt == nil {
                terminate(key)
                attempt = running[key] ?? attempt
            }
        }
        if let pid = attempt.pid {
            if !isSupervisor(pid, of: job) {
                // Gone without an exit file: read once more in case it was written just now.
                try settle(key)
                return
            }
        } else if now.timeIntervalSince(attempt.startedAt) > Self.startGrace {
            try settle(key)
            return
        }
        try enforceLimits(key, attempt, now: now)
    }

    /// Follows jobs another orchestrator runs: takes them over if it died, mirrors their final state.
    func refreshElsewhere() throws {
        let records = try store.jobRecords(keys: Array(elsewhere))
        let now = clock.now
        for key in elsewhere {
            guard let record = records[key], var job = jobs[key] else { continue }
            let state = record.state
            if state.isFinal {
                job.machine = JobStateMachine(state: state, attempt: record.attempts.last?.number ?? 0)
                jobs[key] = job
                elsewhere.remove(key)
                if state == .succeeded { summary.reused += 1 }
                continue
            }
            let holderAlive =
                record.leaseOwner == owner.description || record.liveLeaseHolder(at: now, processes: processes) != nil
            if !holderAlive {
                elsewhere.remove(key)
                if let open = record.openAttempt {
                    try adopt(key, record: record, attempt: open, now: now)
                } else {
                    job.machine = JobStateMachine(
                        state: .queued, attempt: record.attempts.last?.number ?? 0, retries: job.stage.retries,
                        failures: record.failures)
                    jobs[key] = job
                }
            }
        }
    }

    /// The summary, after a last metrics ingestion.
    func finish() -> RunSummary {
        summary.interrupted = interrupted
        summary.elsewhere = elsewhere.count
        for key in order {
            guard let job = jobs[key] else { continue }
            summary.counts[job.machine.state, default: 0] += 1
            switch job.machine.state {
            case .failed, .cancelled, .blocked:
                let reason = (try? store.jobRecords(keys: [key])[key]?.reason) ?? nil
                summary.problems.append(
                    .init(
                        stage: job.planned.stage, key: key, state: job.machine.state,
                        reason: reason ?? job.machine.state.rawValue,
                        log: job.directory.stderr.path))
            default:
                break
            }
        }
        return summary
    }
}
