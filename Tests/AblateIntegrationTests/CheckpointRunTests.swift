import AblateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The checkpoint fan-out on the local backend with a trainer that writes `checkpoint-N` directories over
/// time, as the Hugging Face Trainer does (`trainer_state.json` last): evaluations start while it trains,
/// each checkpoint is evaluated once across a killed orchestrator, and a missing checkpoint blocks only
/// its own jobs, with the reason.
@Suite(.serialized) struct CheckpointRunTests {
    /// Two trainings of three checkpoints, one second apart; every evaluation appends its training and
    /// step to `evaluated.log` in the sweep's directory, so that a repeated one shows.
    static func spec(steps: String = "[1, 2, 3]", failAfter: Int? = nil, evalSleep: String = "0") -> String {
        let exit = failAfter == nil ? "" : "; exit 3"
        let last = failAfter ?? 3
        return """
            sweep: fan
            grid:
              data: [a, b]
            stages:
              pretrain:
                uses: [data]
                checkpoints: {path: "checkpoint-{step}", steps: \(steps)}
                run: >-
                  cd {output} && for s in $(seq 1 \(last)); do sleep 1; mkdir -p checkpoint-$s &&
                  echo '{{"global_step": '$s'}}' > checkpoint-$s/trainer_state.json; done\(exit)
              eval:
                after: [pretrain]
                over: checkpoints
                run: >-
                  test -f {pretrain.checkpoint}/trainer_state.json && sleep \(evalSleep) &&
                  echo $(basename {pretrain.output}) {checkpoint.step} >> "$PWD/evaluated.log" &&
                  echo '{{"step": 0, "score": '{checkpoint.step}'}}' > {output}/metrics.jsonl
            """
    }

    static func sql(_ query: String, in directory: URL) throws -> [String] {
        try AblateProcess.run(["sql", query, "--format", "csv"], in: directory).stdout.split(separator: "\n")
            .dropFirst().map(String.init)
    }

    static func write(_ spec: String, in directory: URL) throws {
        try spec.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
    }

    @Test func evaluationsOfEarlyCheckpointsStartBeforeTrainingEnds() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try Self.write(Self.spec(), in: directory)
        let result = try AblateProcess.run(["run", "s.yaml", "--cpus", "4", "--jobs", "4"], in: directory)
        #expect(result.status == 0, "\(result.stdout)")
        // Both evaluations of the first checkpoints started before either training ended.
        let rows = try Self.sql(
            """
            SELECT COUNT(*) FROM attempts e JOIN jobs je ON je.id = e.job_id
            WHERE je.stage = 'eval' AND json_extract(je.params, '$.checkpoint') = 1 AND e.started_at <
            (SELECT MIN(t.ended_at) FROM attempts t JOIN jobs jt ON jt.id = t.job_id WHERE jt.stage = 'pretrain')
            """, in: directory)
        #expect(rows == ["2"], "\(rows)")
        let scores = try Self.sql(
            """
            SELECT json_extract(r.params, '$.data'), json_extract(r.params, '$.checkpoint'), m.value FROM runs r
            JOIN run_metrics m ON m.run_id = r.id AND m.key = 'score' ORDER BY 1, 2
            """, in: directory)
        #expect(scores == ["a,1,1", "a,2,2", "a,3,3", "b,1,1", "b,2,2", "b,3,3"], "\(scores)")
        let again = try AblateProcess.run(["plan", "s.yaml"], in: directory)
        #expect(again.stdout.hasPrefix("sweep 'fan': 6 runs, 8 jobs in 2 stages, 8 already done\n"), "\(again.stdout)")
    }

    @Test func eachCheckpointIsEvaluatedOnceAcrossAKilledOrchestrator() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try Self.write(Self.spec(evalSleep: "0.5"), in: directory)
        let process = Process()
        process.executableURL = AblateProcess.binary
        process.arguments = ["run", "s.yaml", "--cpus", "4", "--jobs", "4"]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(2_300_000)  // the first checkpoints are evaluated or being evaluated, training goes on
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let final = try AblateProcess.run(["run", "s.yaml", "--cpus", "4", "--jobs", "4"], in: directory)
        #expect(final.status == 0, "\(final.stdout)")
        let log = try String(contentsOf: directory.appendingPathComponent("evaluated.log"), encoding: .utf8)
        let lines = log.split(separator: "\n")
        #expect(lines.count == 6 && Set(lines).count == 6, "\(log)")
        #expect(lines.map { $0.split(separator: " ").last! }.sorted() == ["1", "1", "2", "2", "3", "3"])
        #expect(try Self.sql("SELECT COUNT(*) FROM attempts WHERE outcome = 'succeeded'", in: directory) == ["8"])
    }

    @Test func aTrainingThatFailsKeepsTheJobsOfItsCheckpointsAndADeletedOneBlocksWithTheReason() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try Self.write(Self.spec(failAfter: 2), in: directory)
        let failed = try AblateProcess.run(["run", "s.yaml", "--cpus", "4", "--jobs", "4"], in: directory)
        #expect(failed.status == 1)
        let states = try Self.sql(
            "SELECT json_extract(params, '$.checkpoint'), state FROM jobs WHERE stage = 'eval' ORDER BY 1",
            in: directory)
        #expect(states == ["1,succeeded", "1,succeeded", "2,succeeded", "2,succeeded", "3,blocked", "3,blocked"])
        let reasons = try Self.sql("SELECT DISTINCT reason FROM jobs WHERE state = 'blocked'", in: directory)
        #expect(
            reasons.count == 2
                && reasons.allSatisfy {
                    $0.contains("(checkpoint-3) was not written before the training ended (failed)")
                }, "\(reasons)")

        // A training that succeeded, whose checkpoint was deleted before its evaluation ran.
        let other = try AblateProcess.temporaryDirectory()
        try Self.write(
            Self.spec().replacingOccurrences(of: "over: checkpoints", with: "over: {checkpoints: [1]}"), in: other)
        #expect(try AblateProcess.run(["run", "s.yaml", "--cpus", "4"], in: other).status == 0)
        for job in try Self.sql("SELECT output_dir FROM jobs WHERE stage = 'pretrain'", in: other) {
            try FileManager.default.removeItem(atPath: job + "/checkpoint-2")
        }
        try Self.write(Self.spec(), in: other)
        let second = try AblateProcess.run(["run", "s.yaml", "--cpus", "4"], in: other)
        #expect(second.status == 1)
        #expect(
            try Self.sql(
                "SELECT json_extract(params, '$.checkpoint'), state FROM jobs WHERE stage = 'eval' ORDER BY 1, 2",
                in: other)
                == ["1,succeeded", "1,succeeded", "2,blocked", "2,blocked", "3,succeeded", "3,succeeded"])
        #expect(second.stdout.contains("is not ready: trainer_state.json missing in"), "\(second.stdout)")
        #expect(second.stdout.contains("(not written, or deleted); run pretrain again to write it"))
    }
}
