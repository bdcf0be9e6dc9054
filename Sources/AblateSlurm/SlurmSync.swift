import AblateCore
import AblateExecution
import AblateStore
import Foundation

/// Reconciles the store with the Slurm controller (`squeue`) and the job directories (`ablate sync`, and before
/// `ablate status` and every `ablate run --backend slurm`).
///
/// Only this process, on the submitting machine, writes the database; jobs on compute nodes only write
/// their job directories (status files, logs, `metrics.jsonl`).
///
/// - Submissions whose sbatch answer was never recorded (ablate was killed while submitting) are
///   found again by the token in their `--comment`, or recorded as lost so that they are submitted again.
/// - A requeued job (Slurm's restart count, or a later attempt's start file) closes its attempt as
///   `requeued` and opens the next one on the same job directory.
/// - Slurm states map to job states through ``SlurmObservation``; jobs the controller has forgotten are
///   settled from their status files.
/// - New lines of each job's `metrics.jsonl` are ingested.
public struct SlurmSync {
    /// What one reconciliation saw and changed.
    public struct Report: Sendable {
        /// One line per change (`succeeded sft 1a2b3c4d (attempt 1, Slurm 12_0)`).
        public var events: [String] = []
        /// Attempts still pending or running in Slurm.
        public var open = 0
        /// Submissions recovered after a crash (found again in the controller).
        public var recovered = 0
        /// Submissions recorded as lost (never reached Slurm).
        public var lost = 0
    }

    let store: ResultStore
    let client: any SlurmClient
    /// How long to wait for an `sbatch` left running by a killed `ablate` before deciding about its
    /// submission.
    var submitterWait: TimeInterval = 60

    /// Creates a reconciler.
    public init(store: ResultStore, client: any SlurmClient) {
        self.store = store
        self.client = client
    }

    /// Reconciles the open Slurm attempts of the given jobs (or of every job).
    public func reconcile(keys: [String]? = nil) throws -> Report {
        var report = Report()
        try recoverSubmissions(&report)
        let attempts = try store.openSlurmAttempts(keys: keys)
        guard !attempts.isEmpty else { return report }
        var controller: [String: SlurmJobInfo] = [:]
        let ids = Set(attempts.compactMap { $0.slurmID.flatMap(SlurmJobRef.init)?.jobID })
        for info in try client.jobs(ids: ids.sorted()) { controller[info.id] = info }
        for attempt in attempts {
            if try reconcile(attempt, controller: controller, report: &report) { report.open += 1 }
        }
        return report
    }

    // MARK: - Attempts

    /// Reconciles one attempt; returns whether the job is still pending or running in Slurm.
    func reconcile(
        _ record: SlurmAttemptRecord, controller: [String: SlurmJobInfo], report: inout Report
    ) throws
        -> Bool
    {
        guard let outputDir = record.outputDir else { return true }
        let directory = URL(fileURLWithPath: outputDir)
        let info = record.slurmID.flatMap { Self.lookup($0, in: controller) }
        var attempt = record
        // Requeues: the controller's restart count, or a later attempt's start file.
        let expected = info.map { record.firstNumber + $0.restarts } ?? attempt.number
        while attempt.number < expected || AttemptStatus.read(directory: directory, attempt: attempt.number + 1) != nil
        {
            attempt = try requeue(attempt, directory: directory, report: &report)
        }
        ingest(attempt, report: &report)
        let status = AttemptStatus.read(directory: directory, attempt: attempt.number)
        if let started = status?.startedAt, attempt.startedAt == nil {
            try store.markAttemptStarted(id: attempt.id, host: status?.host, pid: status?.pid, startedAt: started)
        }
        let observation: SlurmObservation
        if let info {
            observation = SlurmObservation.observe(state: info.state, reason: info.reason, exit: status?.termination)
        } else {
            observation = Self.settleFromFiles(status, slurmID: attempt.slurmID)
        }
        switch observation {
        case .waiting(let reason):
            if attempt.jobState != .queued || attempt.reason != reason {
                try store.setState(ofJob: attempt.jobKey, to: .queued, reason: reason)
            }
            return true
        case .running:
            if attempt.jobState != .running {
                try store.setState(ofJob: attempt.jobKey, to: .running, reason: nil)
                report.events.append("running \(label(attempt)) (attempt \(attempt.number)\(where_(status)))")
            }
            return true
        case .blocked(let reason):
            try store.closeAttempt(
                id: attempt.id, outcome: .blocked, exitCode: nil, signal: nil, reason: reason, startedAt: nil,
                endedAt: Date())
            try store.setState(ofJob: attempt.jobKey, to: .blocked, reason: reason)
            report.events.append("blocked \(label(attempt)): \(reason)")
            return false
        case .ended(let outcome, let state, let reason):
            try close(attempt, outcome: outcome, state: state, reason: reason, status: status, report: &report)
            return false
        }
    }

    /// Closes an attempt that Slurm requeued and opens the next one on the same job directory.
    func requeue(_ attempt: SlurmAttemptRecord, directory: URL, report: inout Report) throws -> SlurmAttemptRecord {
        let status = AttemptStatus.read(directory: directory, attempt: attempt.number)
        let reason = "requeued by Slurm" + (status?.termination.map { " (\($0))" } ?? "")
        try store.closeAttempt(
            id: attempt.id, outcome: .requeued, exitCode: status?.termination?.exitCode,
            signal: status?.termination?.signal, reason: reason,
            startedAt: status?.startedAt, endedAt: status?.endedAt ?? Date())
        var next = attempt
        next.id = try store.openRequeuedAttempt(after: attempt, number: attempt.number + 1)
        next.number += 1
        next.startedAt = nil
        next.jobState = .queued
        try store.setState(ofJob: attempt.jobKey, to: .queued, reason: "requeued; waiting to restart")
        next.reason = "requeued; waiting to restart"
        report.events.append(
            "requeue \(label(attempt)): attempt \(attempt.number) requeued, attempt \(next.number) resumes in the same directory"
        )
        return next
    }

    /// Records how an attempt ended and the job's new state (a retry when the stage allows one).
    func close(
        _ attempt: SlurmAttemptRecord, outcome: AttemptState, state: JobState, reason: String, status: AttemptStatus?,
        report: inout Report
    ) throws {
        var (outcome, state, reason) = (outcome, state, reason)
        // Exit 0 is success only with what the stage says a successful job leaves behind.
        if outcome == .succeeded, let outputDir = attempt.outputDir {
            let produces = try store.collectableJobs(keys: [attempt.jobKey]).first?.produces ?? []
            let missing = OutputContract.missing(produces, in: URL(fileURLWithPath: outputDir))
            if !missing.isEmpty {
                (outcome, state, reason) = (.failed, .failed, OutputContract.reason(missing: missing))
            }
        }
        let ingested = ingest(attempt, final: true, succeeded: outcome == .succeeded, report: &report)
        try store.closeAttempt(
            id: attempt.id, outcome: outcome, exitCode: status?.termination?.exitCode,
            signal: status?.termination?.signal, reason: reason,
            startedAt: status?.startedAt, endedAt: status?.endedAt ?? Date())
        var jobState = state
        var jobReason: String? = state == .succeeded ? nil : reason
        if outcome.isFailure, attempt.failures + 1 <= attempt.retries {
            jobState = .queued
            jobReason =
                "retry \(attempt.failures + 1) of \(attempt.retries) after \(reason); 'ablate run' submits it again"
        } else if outcome == .lost {
            jobState = .new
            jobReason = "\(reason); 'ablate run' submits it again"
        }
        try store.setState(
            ofJob: attempt.jobKey, to: jobState, reason: jobReason, metricsPending: jobState.isFinal ? !ingested : nil)
        let seconds = status.flatMap { status in
            status.startedAt.flatMap { start in status.endedAt.map { $0.timeIntervalSince(start) } }
        }
        let duration = seconds.map { String(format: ", %.1f s", $0) } ?? ""
        report.events.append(
            "\(outcome.rawValue.padding(7)) \(label(attempt)) (attempt \(attempt.number), Slurm \(attempt.slurmID ?? "?")\(duration))"
                + (outcome == .succeeded ? "" : ": \(reason)"))
    }

    /// How a job that Slurm no longer knows ended, from its status files.
    static func settleFromFiles(_ status: AttemptStatus?, slurmID: String?) -> SlurmObservation {
        let gone = "Slurm no longer knows job \(slurmID ?? "?")"
        guard let status else {
            return .ended(outcome: .lost, state: .new, reason: "\(gone) and it never started")
        }
        guard let termination = status.termination else {
            return .ended(outcome: .lost, state: .new, reason: "\(gone); it started but left no exit status")
        }
        if termination.isSuccess {
            return .ended(outcome: .succeeded, state: .succeeded, reason: "exit 0")
        }
        return .ended(outcome: .failed, state: .failed, reason: "\(termination) (from its status files; \(gone))")
    }

    /// The controller's record of `slurmID`. An array whose pending tasks were all cancelled before any
    /// started is reported as one record without a task index (`123`, `ArrayTaskID=N/A`); it stands for
    /// each of those tasks.
    static func lookup(_ slurmID: String, in controller: [String: SlurmJobInfo]) -> SlurmJobInfo? {
        if let info = controller[slurmID] { return info }
        guard let ref = SlurmJobRef(slurmID), ref.task != nil, let rest = controller[ref.jobID],
            rest.arrayTaskID == nil, rest.arrayJobID == ref.jobID
        else { return nil }
        return rest
    }

    /// Ingests new lines of the job's `metrics.jsonl` (all of them, with `final`) and collects its
    /// `collect:` results (``ResultIngestion``); malformed lines, bad files and failures become warnings. Returns whether ingestion worked.
    @discardableResult
    func ingest(
        _ attempt: SlurmAttemptRecord, final: Bool = false, succeeded: Bool? = nil, report: inout Report
    ) -> Bool {
        guard let outputDir = attempt.outputDir else { return true }
        do {
            let ingested = try ResultIngestion.ingest(
                store: store, jobKey: attempt.jobKey, directory: URL(fileURLWithPath: outputDir), final: final,
                succeeded: succeeded)
            report.events += ingested.warnings(job: label(attempt))
            return true
        } catch {
            report.events.append(
                "warning \(label(attempt)): metrics not ingested (\(error.localizedDescription)); they stay pending")
            return false
        }
    }

    func label(_ attempt: SlurmAttemptRecord) -> String {
        "\(attempt.stage) \(attempt.jobKey.prefix(8))"
    }

    private func where_(_ status: AttemptStatus?) -> String {
        status?.host.map { " on \($0)" } ?? ""
    }
}
