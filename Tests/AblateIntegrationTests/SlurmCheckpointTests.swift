import AblateKit
import AblateStore
import AblateTestSupport
import Foundation
import Testing

/// The checkpoint fan-out on the real single-node Slurm cluster: the training is submitted and left, the
/// last checkpoint's evaluation waits for it (afterok), and `ablate sync` submits the evaluations of the
/// intermediate checkpoints as they become ready, never one twice.
@Suite(.enabled(if: TestTools.slurm, "no Slurm cluster answers; start one with 'scripts/slurm-dev-cluster.sh up'"))
struct SlurmCheckpointTests {
    @Test func syncSubmitsIntermediateEvaluationsAsTheirCheckpointsAppear() throws {
        let sweep = "slurm-it-fan-\(SlurmBackendTests.unique)"
        let directory = try SlurmBackendTests.directory(
            with: """
                sweep: \(sweep)
                grid:
                  data: [a]
                stages:
                  pretrain:
                    uses: [data]
                    checkpoints: {path: "checkpoint-{step}", steps: [1, 2, 3]}
                    run: >-
                      cd {output} && for s in 1 2 3; do sleep 3; mkdir -p checkpoint-$s &&
                      echo '{{"global_step": '$s'}}' > checkpoint-$s/trainer_state.json; done
                  eval:
                    after: [pretrain]
                    over: checkpoints
                    run: test -f {pretrain.checkpoint}/trainer_state.json && echo {checkpoint.step} > {output}/evaluated

                """)
        let run = try SlurmBackendTests.ablate(["run", "s.yaml", "--backend", "slurm"], in: directory)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        func evals() throws -> [Int: JobRecord] {
            let store = try SlurmBackendTests.store(directory)
            let rows = try store.sweepJobs(sweep: sweep).filter { $0.stage == "eval" }
            let records = try store.jobRecords(keys: rows.map(\.key))
            var byStep: [Int: JobRecord] = [:]
            for record in records.values {
                // Its config is written when it is submitted; until then it has no attempt either.
                guard
                    let config = try? String(
                        contentsOfFile: (record.outputDir ?? "") + "/.ablate/config.json", encoding: .utf8)
                else { continue }
                for step in 1...3 where config.contains("\"checkpoint\": \(step)") { byStep[step] = record }
            }
            return byStep
        }
        func training() throws -> JobRecord {
            try #require(SlurmBackendTests.jobs(directory, sweep: sweep)["pretrain"]?.first)
        }
        // Submitted and left: the training, and the last checkpoint's evaluation after it.
        var now = try evals()
        #expect(now[3]?.attempts.count == 1, "the last checkpoint's evaluation is submitted with a dependency")
        #expect(try training().attempts.count == 1)
        #expect(now[1] == nil && now[2] == nil, "intermediate checkpoints wait for sync")

        try SlurmBackendTests.wait("the first checkpoint's evaluation", in: directory, timeout: 60) {
            try evals()[1]?.attempts.isEmpty == false
        }
        #expect(try training().openAttempt != nil, "submitted while the training still runs")
        // A second sync submits nothing twice.
        _ = try SlurmBackendTests.ablate(["sync"], in: directory)
        let attempts = try evals().values.map(\.attempts.count)
        #expect(attempts.allSatisfy { $0 == 1 }, "\(attempts)")

        try SlurmBackendTests.wait("every evaluation", in: directory, timeout: 120) {
            try evals().values.filter { $0.state == .succeeded }.count == 3
        }
        now = try evals()
        for step in 1...3 {
            #expect(now[step]?.attempts.count == 1, "step \(step) evaluated once")
            let evaluated = try String(contentsOfFile: (now[step]?.outputDir ?? "") + "/evaluated", encoding: .utf8)
            #expect(evaluated == "\(step)\n")
        }
        // When Slurm starts a submitted job is its scheduler's business (the first checkpoint's evaluation
        // was submitted while the training ran, checked above); the last one's dependency holds it until
        // the training ended.
        let trainingEnded = try #require(try training().attempts.last?.endedAt)
        let lastStarted = try #require(now[3]?.attempts.first?.startedAt)
        #expect(lastStarted >= trainingEnded.addingTimeInterval(-1), "the last one after it (afterok)")
    }
}

/// The compute ledger of jobs run on the real single-node Slurm cluster: each attempt's CPUs times its
/// elapsed time, as the store recorded them from the job directory's status files.
@Suite(.enabled(if: TestTools.slurm, "no Slurm cluster answers; start one with 'scripts/slurm-dev-cluster.sh up'"))
struct SlurmLedgerTests {
    @Test func recordedCPUHoursAreResourcesTimesElapsed() throws {
        let sweep = "slurm-it-ledger-\(SlurmBackendTests.unique)"
        let directory = try SlurmBackendTests.directory(
            with: """
                sweep: \(sweep)
                grid:
                  i: [1, 2]
                stages:
                  work:
                    uses: [i]
                    resources: {cpus: 1}
                    run: sleep 1

                """)
        let run = try SlurmBackendTests.ablate(["run", "s.yaml", "--backend", "slurm"], in: directory)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        try SlurmBackendTests.wait("both jobs", in: directory, timeout: 120) {
            try SlurmBackendTests.jobs(directory, sweep: sweep)["work"]?.allSatisfy { $0.state == .succeeded } == true
        }
        let store = try SlurmBackendTests.store(directory)
        let usage = try store.attemptUsage(sweep: sweep)
        #expect(usage.count == 2 && usage.allSatisfy { $0.cpus == 1 && $0.gpus == 0 && $0.nodes == 1 })
        let elapsed = usage.reduce(0.0) { $0 + $1.endedAt!.timeIntervalSince($1.startedAt!) }
        #expect(elapsed >= 2)
        let ledger = try ComputeLedger.sweep(sweep, store: store)
        #expect(abs(ledger.total.cpuHours - elapsed / 3_600) < 1e-12)
        #expect(ledger.total.gpuHours == 0)
        #expect(ledger.total.attempts == 2)
    }
}
