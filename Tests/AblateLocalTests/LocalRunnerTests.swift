import AblateCore
import AblateExecution
import AblateStore
import AblateTestSupport
import Foundation
import Testing

@testable import AblateLocal

#if canImport(Glibc)
    import Glibc
#endif

/// The local runner's decisions, without processes and without waiting: a ``FakeProcessHost`` plays
/// each attempt in the virtual time of a ``FakeClock``, writing the status files `ablate-wrap` would.
@Suite struct LocalRunnerTests {
    /// A recorded sweep, a store on disk, and the fakes.
    struct Harness {
        let store: ResultStore
        let plan: SweepPlan
        let workdir: URL
        let clock = FakeClock()
        let host: FakeProcessHost
        let reporter = RecordingReporter()

        init(_ spec: String, script: @escaping @Sendable (LaunchRequest) -> FakeProcessHost.Behavior) throws {
            workdir = FileManager.default.temporaryDirectory.appendingPathComponent("ablate-local-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)
            store = try ResultStore(path: workdir.appendingPathComponent("ablate.db").path)
            plan = try SpecLoader.load(yaml: spec, file: "s.yaml").plan
            _ = try store.record(plan: plan, specPath: nil, revision: nil)
            host = FakeProcessHost(clock: clock, script: script)
        }

        func keys(_ stage: String) -> [String] { plan.stage(named: stage)!.keys.map(\.hex) }

        func record(_ key: String) throws -> JobRecord { try #require(try store.jobRecords(keys: [key])[key]) }

        func directory(_ stage: String, _ key: String) -> URL {
            workdir.appendingPathComponent("jobs/\(stage)/\(key)")
        }

        /// Runs the sweep to the end, advancing virtual time half a second at a time.
        func run(maxJobs: Int = 2, grace: Double = 5, rerunCancelled: Bool = true) async throws -> RunSummary {
            let (store, plan, workdir, host, clock, reporter) = (store, plan, workdir, host, clock, reporter)
            let done = Flag()
            let task = Task {
                defer { done.set() }
                let runner = LocalRunner(
                    store: store, plan: plan, workdir: workdir, processes: host, clock: clock,
                    options: RunOptions(
                        maxJobs: maxJobs, slots: SlotPool(cpus: 4, gpus: []), grace: grace, tick: 0.5,
                        leaseSeconds: 60, rerunCancelled: rerunCancelled),
                    reporter: reporter)
                return try await runner.run(handleSignals: false)
            }
            let finished = await clock.drive(step: 0.5, limit: 7200) { done.isSet }
            #expect(finished, "the run did not end within two virtual hours")
            return try await task.value
        }
    }

    /// A flag set from another task.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    static let twoStages = """
        sweep: t
        grid: {seed: [1, 2]}
        stages:
          a: {uses: [seed], retries: 2, run: "train {params.seed}"}
          b: {after: [a], run: "eval {a.output}"}
        """

    @Test func aFailingJobIsRetriedThenFailsAndBlocksOnlyItsDownstream() async throws {
        let harness = try Harness(Self.twoStages) { request in
            request.command.hasPrefix("train 2") ? .exits(3, after: 2) : .exits(0, after: 1)
        }
        let summary = try await harness.run()
        let (good, bad) = (harness.keys("a")[0], harness.keys("a")[1])
        #expect(try harness.record(bad).state == .failed)
        #expect(try harness.record(bad).attempts.map(\.state) == [.failed, .failed, .failed])
        #expect(try harness.record(good).state == .succeeded)
        let downstream = try harness.keys("b").map { try harness.record($0) }
        #expect(downstream.map(\.state).filter { $0 == .blocked }.count == 1)
        let blocked = try #require(downstream.first { $0.state == .blocked })
        #expect(blocked.reason == "upstream job a \(bad.prefix(12)) did not succeed")
        #expect(blocked.attempts.isEmpty)
        #expect(harness.host.launched.filter { $0.command.hasPrefix("eval") }.count == 1)
        #expect(summary.exitCode == 1)
        #expect(summary.counts == [.succeeded: 2, .failed: 1, .blocked: 1])
    }

    @Test func aJobPastItsTimeoutGetsSIGTERMAndFailsAsTimedOut() async throws {
        let harness = try Harness("sweep: t\nstages:\n  a: {timeout: 10s, run: train}\n") { _ in .exits(0, after: 100) }
        let summary = try await harness.run()
        let record = try harness.record(harness.keys("a")[0])
        #expect(record.state == .failed)
        #expect(record.attempts.map(\.state) == [.timeout])
        let process = try #require(harness.host.launched.first)
        #expect(process.signals == [SIGTERM])
        #expect(process.termination == .signaled(SIGTERM))
        let ended = try #require(record.attempts.first?.endedAt)
        #expect(ended.timeIntervalSince(process.startedAt) >= 10 && ended.timeIntervalSince(process.startedAt) < 12)
        #expect(summary.exitCode == 1)
    }

    @Test func aJobThatIgnoresSIGTERMIsKilledAfterTheGracePeriod() async throws {
        let harness = try Harness("sweep: t\nstages:\n  a: {timeout: 10s, run: train}\n") { _ in
            .ignoresTerm(0, after: 1000)
        }
        _ = try await harness.run(grace: 5)
        let process = try #require(harness.host.launched.first)
        #expect(process.signals == [SIGTERM, SIGKILL])
        #expect(harness.reporter.events.contains { $0.hasPrefix("kill    a") })
        let record = try harness.record(harness.keys("a")[0])
        let ended = try #require(record.attempts.first?.endedAt)
        #expect(ended.timeIntervalSince(process.startedAt) >= 15 && ended.timeIntervalSince(process.startedAt) < 17)
        #expect(record.attempts.map(\.state) == [.timeout])
    }

    @Test func dispatchKeepsToTheSlotsAndTheDAG() async throws {
        let harness = try Harness(Self.twoStages.replacingOccurrences(of: "[1, 2]", with: "[1, 2, 3]")) { _ in
            .exits(0, after: 4)
        }
        let summary = try await harness.run(maxJobs: 2)
        #expect(summary.exitCode == 0 && summary.counts == [.succeeded: 6])
        let processes = harness.host.launched
        // At most two at a time: sweep the starts and ends in time order, ends first at equal times.
        let changes = processes.flatMap { [($0.startedAt, 1), ($0.endsAt, -1)] }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        let concurrency = changes.reduce(into: (now: 0, most: 0)) {
            $0.now += $1.1; $0.most = max($0.most, $0.now)
        }
        #expect(concurrency.most == 2)
        for eval in processes where eval.command.hasPrefix("eval") {
            let upstream = processes.filter { eval.command.contains($0.directory.path) }
            #expect(upstream.count == 1)
            #expect(upstream.allSatisfy { $0.endsAt <= eval.startedAt })
        }
    }

    @Test func aSucceededJobIsReusedAndNotLaunched() async throws {
        let harness = try Harness("sweep: t\nstages:\n  a: {run: train}\n") { _ in .exits(0, after: 1) }
        try harness.store.setState(ofJob: harness.keys("a")[0], to: .succeeded)
        let summary = try await harness.run()
        #expect(summary.reused == 1 && summary.ran == 0)
        #expect(harness.host.launched.isEmpty)
    }

    /// Job `a` is running under another orchestrator, alive and holding the lease for an hour.
    func heldByAnotherLiveOrchestrator(_ harness: Harness) throws -> String {
        let key = harness.keys("a")[0]
        harness.host.setOrchestratorAlive("otherhost:9:9")
        _ = try harness.store.claim(
            jobKey: key, owner: "otherhost:9:9", until: harness.clock.now.addingTimeInterval(3600),
            now: harness.clock.now, isAlive: { _ in false })
        try harness.store.setState(ofJob: key, to: .running)
        return key
    }

    /// A previous orchestrator (now dead) left attempt 1 of job `a` open, supervised by process 777.
    func crashed(_ harness: Harness) throws -> (key: String, directory: URL) {
        let key = harness.keys("a")[0]
        let directory = harness.directory("a", key)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        _ = try harness.store.claim(
            jobKey: key, owner: "deadhost:1:1", until: harness.clock.now.addingTimeInterval(-1),
            now: harness.clock.now, isAlive: { _ in false })
        try harness.store.setState(ofJob: key, to: .running, outputDir: directory.path)
        _ = try harness.store.openAttempt(
            jobKey: key, number: 1, backend: .local, backendJobID: "777", pgid: 777, host: "fakehost",
            at: harness.clock.now)
        return (key, directory)
    }

    @Test func anAttemptStillRunningAfterACrashIsAdoptedNotRunAgain() async throws {
        let harness = try Harness("sweep: t\nstages:\n  a: {run: train}\n") { _ in .exits(0, after: 1) }
        let (key, directory) = try crashed(harness)
        harness.host.adopt(pid: 777, directory: directory, attempt: 1, behavior: .exits(0, after: 3))
        let summary = try await harness.run()
        #expect(summary.exitCode == 0)
        #expect(harness.host.launched.allSatisfy { $0.pid == 777 })
        #expect(try harness.record(key).attempts.map(\.state) == [.succeeded])
        #expect(harness.reporter.events.contains { $0.hasPrefix("adopted a") && $0.contains("still running, pid 777") })
    }

    @Test func anAttemptThatVanishedAfterACrashRunsAgainWithoutUsingARetry() async throws {
        let harness = try Harness("sweep: t\nstages:\n  a: {run: train}\n") { _ in .exits(0, after: 1) }
        let (key, directory) = try crashed(harness)
        harness.host.adopt(pid: 777, directory: directory, attempt: 1, behavior: .vanishes(after: 2))
        let summary = try await harness.run()
        #expect(summary.exitCode == 0)
        let record = try harness.record(key)
        #expect(record.attempts.map(\.state) == [.lost, .succeeded])
        #expect(record.attempts.map(\.number) == [1, 2])
        #expect(record.failures == 0)
    }

    @Test func anAttemptThatFinishedWhileNobodyWatchedIsSettledFromItsStatusFiles() async throws {
        let harness = try Harness("sweep: t\nstages:\n  a: {run: train}\n") { _ in .exits(0, after: 1) }
        let (key, directory) = try crashed(harness)
        harness.host.adopt(pid: 777, directory: directory, attempt: 1, behavior: .exits(3, after: 0))
        harness.clock.advance(by: 1)
        let summary = try await harness.run()
        let record = try harness.record(key)
        #expect(record.attempts.map(\.state) == [.failed])
        #expect(record.state == .failed)
        #expect(harness.reporter.events.contains { $0.contains("finished while no orchestrator watched") })
        #expect(summary.exitCode == 1)
    }

    @Test func aJobAnotherLiveOrchestratorHoldsIsLeftToIt() async throws {
        let harness = try Harness("sweep: t\nstages:\n  a: {run: train}\n") { _ in .exits(0, after: 1) }
        let key = try heldByAnotherLiveOrchestrator(harness)
        let store = harness.store
        Task {
            // The other orchestrator finishes the job a few (real) moments later.
            try await Task.sleep(for: .milliseconds(200))
            try store.setState(ofJob: key, to: .succeeded)
        }
        let summary = try await harness.run()
        #expect(harness.host.launched.isEmpty)
        #expect(summary.exitCode == 0 && summary.reused == 1)
    }

    @Test func retryingFailedJobsOnlyLeavesCancelledOnesAlone() async throws {
        let harness = try Harness(
            "sweep: t\ngrid: {seed: [1, 2]}\nstages:\n  a: {uses: [seed], run: \"train {params.seed}\"}\n"
        ) {
            _ in .exits(0, after: 1)
        }
        let (cancelled, failed) = (harness.keys("a")[0], harness.keys("a")[1])
        try harness.store.setState(ofJob: cancelled, to: .cancelled, reason: "cancelled on request")
        try harness.store.setState(ofJob: failed, to: .failed, reason: "exit 1")
        _ = try await harness.run(rerunCancelled: false)
        #expect(try harness.record(cancelled).state == .cancelled)
        #expect(try harness.record(failed).state == .succeeded)
        #expect(harness.host.launched.count == 1)
    }

    @Test func aCancellationOfAJobAnotherOrchestratorRunsIsLeftToIt() async throws {
        let harness = try Harness("sweep: t\nstages:\n  a: {run: train}\n") { _ in .exits(0, after: 1) }
        let key = try heldByAnotherLiveOrchestrator(harness)
        _ = try harness.store.requestCancel(jobKey: key)
        let store = harness.store
        Task {
            try await Task.sleep(for: .milliseconds(300))
            // The other orchestrator saw the request and stopped its job.
            #expect(try store.jobRecords(keys: [key])[key]?.cancelRequested == true)
            try store.setState(ofJob: key, to: .cancelled, reason: "cancelled on request")
        }
        let summary = try await harness.run()
        #expect(harness.host.launched.isEmpty)
        #expect(summary.counts == [.cancelled: 1])
    }
}
