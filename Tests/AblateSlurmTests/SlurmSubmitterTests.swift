import AblateCore
import AblateExecution
import AblateStore
import AblateTestSupport
import Foundation
import Testing

@testable import AblateSlurm

/// The submission and reconciliation logic over a real SQLite store and a fake Slurm client; the real
/// cluster is in the integration tests.
@Suite struct SlurmSubmitterTests {
    static let spec = """
        sweep: fake
        grid:
          data: [books, code]
          sft: [a, b]
        stages:
          pretrain: {uses: [data], run: 'train {params.data}', retries: 1}
          sft: {after: pretrain, uses: [sft], run: 'sft {params.sft}'}
          eval: {after: sft, run: 'eval'}
        slurm: {max_running: 3}
        """

    struct Fixture {
        let directory: URL
        let store: ResultStore
        let client: FakeSlurmClient
        let plan: SweepPlan
        var events: [String] { box.lines }
        let box = Lines()

        init(client: FakeSlurmClient = FakeSlurmClient()) throws {
            directory = try AblateProcess.temporaryDirectory()
            store = try ResultStore(path: directory.appendingPathComponent("a.db").path)
            self.client = client
            plan = try SpecLoader.load(yaml: SlurmSubmitterTests.spec, file: "fake.yaml").plan
            _ = try store.record(plan: plan, specPath: "fake.yaml", revision: nil)
        }

        func submitter() -> SlurmSubmitter {
            let box = box
            return SlurmSubmitter(
                store: store, client: client, workdir: directory.appendingPathComponent("work"),
                options: .init(wrapper: "/bin/ablate-wrap"), report: { box.append($0) })
        }

        func keys(_ stage: String) -> [String] { plan.stage(named: stage)!.keys.map(\.hex) }

        func state(_ key: String) throws -> JobState { try store.jobRecords(keys: [key])[key]!.state }

        /// Writes attempt status files as ablate-wrap would.
        func finish(_ key: String, stage: String, attempt: Int, exit code: Int?) throws {
            let attempts = directory.appendingPathComponent("work/jobs/\(stage)/\(key)/.ablate/attempts")
            try FileManager.default.createDirectory(at: attempts, withIntermediateDirectories: true)
            try Data(#"{"wrapper_pid": 1, "pid": 2, "host": "node1", "started_at": 100.0}"#.utf8)
                .write(to: attempts.appendingPathComponent("\(attempt).start.json"))
            if let code {
                try Data(#"{"exit_code": \#(code), "ended_at": 105.5}"#.utf8)
                    .write(to: attempts.appendingPathComponent("\(attempt).exit.json"))
            }
        }
    }

    final class Lines: @unchecked Sendable {
        var lines: [String] = []
        func append(_ line: String) { lines.append(line) }
    }

    @Test func submitsTheWholeDAGAsArraysWithExactDependencies() throws {
        let fixture = try Fixture()
        let summary = try fixture.submitter().submit(plan: fixture.plan)
        #expect(summary.submitted == 10 && summary.submissions == 5 && summary.arrays == 5)
        let scripts = fixture.client.scripts
        let dependencies = scripts.map { script in
            script.text.split(separator: "\n").first { $0.hasPrefix("#SBATCH --dependency=") }.map(String.init)
        }
        #expect(
            dependencies == [
                nil, "#SBATCH --dependency=afterok:100_0", "#SBATCH --dependency=afterok:100_1",
                "#SBATCH --dependency=aftercorr:101", "#SBATCH --dependency=aftercorr:102",
            ])
        #expect(scripts[0].text.contains("#SBATCH --array=0-1%3\n"))
        let attempts = try fixture.store.openSlurmAttempts()
        #expect(attempts.count == 10)
        #expect(Set(attempts.compactMap(\.slurmID)).count == 10)
        for key in fixture.keys("eval") { #expect(try fixture.state(key) == .queued) }
        // Each job directory has its config and its job script with the command.
        let sft = fixture.keys("sft")[0]
        let jobScript = try String(
            contentsOf: fixture.directory.appendingPathComponent("work/jobs/sft/\(sft)/.ablate/job.sh"), encoding: .utf8
        )
        #expect(jobScript.contains("export ABLATE_STAGE=sft\n"))
        #expect(jobScript.hasSuffix("sft a\n") || jobScript.hasSuffix("sft b\n"))
    }

    @Test func aRerunNeverSubmitsPendingOrRunningJobsAgain() throws {
        let fixture = try Fixture()
        _ = try fixture.submitter().submit(plan: fixture.plan)
        let submitted = fixture.client.scripts.count
        fixture.client.setJobs(
            try fixture.store.openSlurmAttempts().map {
                let ref = SlurmJobRef($0.slurmID!)!
                return SlurmJobInfo(id: $0.slurmID!, arrayJobID: ref.jobID, arrayTaskID: ref.task, state: "PENDING")
            })
        let again = try fixture.submitter().submit(plan: fixture.plan)
        #expect(again.submitted == 0 && again.active == 10)
        #expect(fixture.client.scripts.count == submitted)
    }

    @Test func aSubmissionInterruptedByACrashIsFoundAgainByItsToken() throws {
        let fixture = try Fixture()
        // What a killed ablate leaves: the submission recorded, sbatch ran, the answer never recorded.
        let key = fixture.keys("pretrain")[0]
        let id = try fixture.store.recordSubmission(
            token: "cafe", sweep: "fake", stage: "pretrain", script: "/nonexistent/cafe.sbatch", dependency: nil,
            retries: 0, jobs: [SubmittedJob(key: key, attempt: 1, arrayIndex: nil, directory: "/tmp/x")])
        fixture.client.setJobs([
            SlurmJobInfo(
                id: "76", arrayJobID: "76", name: "ablate/other/pretrain", state: "RUNNING", comment: "ablate:cafe"),
            SlurmJobInfo(
                id: "77", arrayJobID: "77", name: "ablate/fake/pretrain", state: "RUNNING", comment: "ablate:cafe"),
        ])
        let report = try SlurmSync(store: fixture.store, client: fixture.client).reconcile()
        #expect(report.recovered == 1 && report.lost == 0)
        #expect(try fixture.store.openSlurmAttempts().map(\.slurmID) == ["77"])
        #expect(try fixture.store.unconfirmedSubmissions().isEmpty)
        _ = id
        // The re-run submits the other jobs and not this one.
        let summary = try fixture.submitter().submit(plan: fixture.plan)
        #expect(summary.active == 1 && summary.submitted == 9)
    }

    @Test func aSubmissionThatNeverReachedSlurmIsSubmittedAgain() throws {
        let fixture = try Fixture()
        let key = fixture.keys("pretrain")[0]
        _ = try fixture.store.recordSubmission(
            token: "dead", sweep: "fake", stage: "pretrain", script: "/nonexistent/dead.sbatch", dependency: nil,
            retries: 0, jobs: [SubmittedJob(key: key, attempt: 1, arrayIndex: nil, directory: "/tmp/x")])
        let summary = try fixture.submitter().submit(plan: fixture.plan)
        #expect(fixture.events.contains { $0.hasPrefix("lost    pretrain submission dead") })
        #expect(summary.submitted == 10)
        let attempts = try fixture.store.jobRecords(keys: [key])[key]!.attempts
        #expect(attempts.map(\.state) == [.lost, .submitted])
        #expect(attempts.map(\.number) == [1, 2])
    }

    @Test func reconcilesEndsRequeuesRetriesAndBlockedJobs() throws {
        let fixture = try Fixture()
        _ = try fixture.submitter().submit(plan: fixture.plan)
        let pretrain = fixture.keys("pretrain")
        let attempts = Dictionary(
            uniqueKeysWithValues: try fixture.store.openSlurmAttempts().map { ($0.jobKey, $0.slurmID!) })
        // pretrain 0 was requeued once and now runs attempt 2; pretrain 1 failed (exit 3, retries: 1).
        try fixture.finish(pretrain[0], stage: "pretrain", attempt: 1, exit: 143)
        try fixture.finish(pretrain[0], stage: "pretrain", attempt: 2, exit: nil)
        try fixture.finish(pretrain[1], stage: "pretrain", attempt: 1, exit: 3)
        var jobs = [
            SlurmJobInfo(
                id: attempts[pretrain[0]]!, arrayJobID: "100", arrayTaskID: 0, state: "RUNNING", restarts: 1),
            SlurmJobInfo(
                id: attempts[pretrain[1]]!, arrayJobID: "100", arrayTaskID: 1, state: "FAILED",
                reason: "NonZeroExitCode"),
        ]
        for key in fixture.keys("sft") {
            let ref = SlurmJobRef(attempts[key]!)!
            let blocked = ref.jobID == "102"
            jobs.append(
                SlurmJobInfo(
                    id: ref.description, arrayJobID: ref.jobID, arrayTaskID: ref.task,
                    state: blocked ? "CANCELLED" : "PENDING",
                    reason: blocked ? "DependencyNeverSatisfied" : "Dependency"
                ))
        }
        fixture.client.setJobs(jobs)
        let report = try SlurmSync(store: fixture.store, client: fixture.client).reconcile()
        let first = try fixture.store.jobRecords(keys: [pretrain[0]])[pretrain[0]]!
        #expect(first.state == .running)
        #expect(first.attempts.map(\.state) == [.requeued, .running])
        #expect(first.attempts[1].host == "node1")
        let second = try fixture.store.jobRecords(keys: [pretrain[1]])[pretrain[1]]!
        #expect(second.state == .queued)
        #expect(second.reason == "retry 1 of 1 after exit 3; 'ablate run' submits it again")
        #expect(second.attempts.map(\.state) == [.failed])
        let sftStates = try fixture.keys("sft").map { try fixture.state($0) }.sorted { $0.rawValue < $1.rawValue }
        #expect(sftStates == [.blocked, .blocked, .queued, .queued])
        #expect(report.events.contains { $0.hasPrefix("requeue pretrain") })
        // The eval jobs are not in the fake controller (and never started): lost, to be submitted again.
        for key in fixture.keys("eval") { #expect(try fixture.state(key) == .new) }
    }

    @Test func aRefusedSubmissionFailsItsJobsAndBlocksTheirDownstream() throws {
        let client = FakeSlurmClient()
        client.refusal = "Invalid partition name specified"
        let fixture = try Fixture(client: client)
        let summary = try fixture.submitter().submit(plan: fixture.plan)
        #expect(summary.submitted == 0 && summary.refused == 10)
        let pretrain = fixture.keys("pretrain")[0]
        let record = try fixture.store.jobRecords(keys: [pretrain])[pretrain]!
        #expect(record.state == .failed)
        #expect(record.reason?.hasPrefix("sbatch refused it: Invalid partition name specified") == true)
        for key in fixture.keys("eval") { #expect(try fixture.state(key) == .blocked) }
    }
}
