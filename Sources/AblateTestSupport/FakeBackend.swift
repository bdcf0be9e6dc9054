import AblateCore
import AblateExecution
import AblateStore
import Foundation

/// A backend for unit tests of composition (which backend gets which jobs, what a command prints):
/// it "runs" a plan at once by recording one attempt per job with the outcome the test sets, in DAG
/// order with the one readiness rule, and records every call it gets.
public final class FakeBackend: Backend, @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [String] = []
    /// The kind it stands for.
    public let kind: BackendKind
    /// The results database.
    public let store: ResultStore
    /// Stages whose jobs fail (exit 1); every other job succeeds.
    public var failing: Set<String>

    /// A fake of `kind` over `store`.
    public init(kind: BackendKind, store: ResultStore, failing: Set<String> = []) {
        self.kind = kind
        self.store = store
        self.failing = failing
    }

    /// The calls so far: `start SWEEP`, `observe KEYS`, `cancel KEYS` (keys sorted, comma-separated).
    public var log: [String] { lock.withLock { calls } }

    /// Runs every job of `plan` at once: one attempt each, failing in ``failing`` stages, blocking downstream.
    public func start(
        _ plan: SweepPlan, options: DispatchOptions, reporter: any DispatchReporter
    ) async throws
        -> DispatchSummary
    {
        lock.withLock { calls.append("start \(plan.spec.name)") }
        var states: [Digest: JobState] = [:]
        for (key, record) in try store.jobRecords(keys: plan.stages.flatMap { $0.keys.map(\.hex) }) {
            if let digest = plan.stages.lazy.flatMap(\.keys).first(where: { $0.hex == key }) {
                states[digest] = record.state
            }
        }
        var ran = 0
        for stage in plan.stages {
            for index in 0..<stage.jobCount {
                let job = plan.job(stage: stage.index, index: index)
                let upstream = job.upstream.map { states[$0.key] ?? .new }
                switch JobReadiness.of(states[job.key] ?? .new, upstream: upstream) {
                case .reuse, .wait:
                    continue
                case .blocked(let position):
                    let blocker = job.upstream[position]
                    try store.setState(
                        ofJob: job.key.hex, to: .blocked,
                        reason: "upstream job \(blocker.stage) \(blocker.key.short) did not succeed")
                    states[job.key] = .blocked
                case .ready:
                    let fails = failing.contains(stage.name)
                    let number = (try store.jobRecords(keys: [job.key.hex])[job.key.hex]?.attempts.count ?? 0) + 1
                    let attempt = try store.openAttempt(
                        jobKey: job.key.hex, number: number, backend: kind, backendJobID: nil, pgid: nil, host: nil)
                    try store.closeAttempt(
                        id: attempt, outcome: fails ? .failed : .succeeded, exitCode: fails ? 1 : 0, signal: nil,
                        reason: fails ? "exit 1" : "exit 0", startedAt: nil, endedAt: Date())
                    try store.setState(ofJob: job.key.hex, to: fails ? .failed : .succeeded, reason: nil)
                    states[job.key] = fails ? .failed : .succeeded
                    ran += 1
                    reporter.event(
                        "\((fails ? AttemptState.failed : .succeeded).rawValue) \(stage.name) \(job.key.short)")
                }
            }
        }
        let failed = states.values.contains { $0 == .failed || $0 == .blocked }
        return DispatchSummary(text: "fake \(kind.rawValue): \(ran) job(s) run", exitCode: failed ? 1 : 0)
    }

    /// Records the call; a fake has nothing to reconcile.
    public func observe(keys: [String]?) throws -> Observation {
        lock.withLock { calls.append("observe " + (keys?.sorted().joined(separator: ",") ?? "all")) }
        return Observation()
    }

    /// Records the call and reports every key as stopped.
    public func cancel(keys: [String]) throws -> [String] {
        lock.withLock { calls.append("cancel " + keys.sorted().joined(separator: ",")) }
        return keys
    }
}
