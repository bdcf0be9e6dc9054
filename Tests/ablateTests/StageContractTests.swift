import AblateTestSupport
import Foundation
import Testing

/// What a stage declares it needs (`requires:`) and leaves behind (`produces:`), and a job directory whose
/// trainer files never collide with Ablate's own.
@Suite struct StageContractTests {
    func sql(_ query: String, in directory: URL) throws -> String {
        try AblateProcess.run(["sql", query, "--format", "csv"], in: directory).stdout
    }

    @Test func planNamesEveryMissingVariableAndPathAndExits2() throws {
        let directory = try AblateProcess.temporaryDirectory()
        let spec = """
            sweep: needs
            stages:
              train:
                requires: {env: [PROLONG_DIR], paths: ["$PROLONG_DIR/train_64K.sh", "$PROLONG_DIR/training"]}
                run: cd "$PROLONG_DIR" && bash train_64K.sh
              eval:
                after: [train]
                requires: {env: [HELMET_DIR], paths: ["${HELMET_DIR}/eval.py"]}
                run: cd "$HELMET_DIR" && python eval.py
            """
        try spec.write(to: directory.appendingPathComponent("n.yaml"), atomically: true, encoding: .utf8)
        let unset = try AblateProcess.run(
            ["plan", "n.yaml"], in: directory, environment: ["PROLONG_DIR": "", "HELMET_DIR": ""])
        #expect(unset.status == 2)
        #expect(
            unset.stderr.contains(
                "n.yaml:4:22: error: stage 'train' requires the environment variable PROLONG_DIR, which is not set; export it (export PROLONG_DIR=...) before 'ablate plan' or 'ablate run'"
            ), "\(unset.stderr)")
        #expect(unset.stderr.contains("n.yaml:8:22: error: stage 'eval' requires the environment variable HELMET_DIR"))
        #expect(unset.stderr.contains("2 errors; nothing was run"))
        // A checkout that lacks a script the sweep calls.
        let checkout = directory.appendingPathComponent("ProLong")
        try FileManager.default.createDirectory(
            at: checkout.appendingPathComponent("training"), withIntermediateDirectories: true)
        let helmet = directory.appendingPathComponent("HELMET")
        try FileManager.default.createDirectory(at: helmet, withIntermediateDirectories: true)
        try "".write(to: helmet.appendingPathComponent("eval.py"), atomically: true, encoding: .utf8)
        let environment = ["PROLONG_DIR": checkout.path, "HELMET_DIR": helmet.path]
        let lacking = try AblateProcess.run(["run", "n.yaml"], in: directory, environment: environment)
        #expect(lacking.status == 2)
        #expect(
            lacking.stderr.contains(
                "n.yaml:4:44: error: stage 'train' requires '$PROLONG_DIR/train_64K.sh' ('\(checkout.path)/train_64K.sh'), which does not exist"
            ), "\(lacking.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(".ablate").path))
        try "exit 0".write(to: checkout.appendingPathComponent("train_64K.sh"), atomically: true, encoding: .utf8)
        #expect(try AblateProcess.run(["plan", "n.yaml"], in: directory, environment: environment).status == 0)
    }

    @Test func aJobThatExitsZeroWithoutItsOutputsFailsRetriesAndBlocksItsDownstream() throws {
        let directory = try AblateProcess.temporaryDirectory()
        let spec = """
            sweep: contract
            grid:
              writes: ["yes", "no"]
            stages:
              train:
                uses: [writes]
                retries: 1
                produces: [config.json, "checkpoint-*/trainer_state.json"]
                run: >-
                  cd {output} && if [ {params.writes} = yes ]; then echo '{{}}' > config.json &&
                  mkdir -p checkpoint-5 && echo '{{}}' > checkpoint-5/trainer_state.json; fi
              eval:
                after: [train]
                run: echo evaluated
            """
        try spec.write(to: directory.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
        let run = try AblateProcess.run(["run", "c.yaml"], in: directory)
        #expect(run.status == 1)
        let reason =
            "exited 0 but produced no 'config.json', 'checkpoint-*/trainer_state.json' (the stage's 'produces'); check its log"
        #expect(run.stdout.contains(reason), "\(run.stdout)")
        let states = try sql(
            "SELECT j.stage, p.value_text AS writes, j.state, (SELECT COUNT(*) FROM attempts a WHERE a.job_id = j.id) AS attempts FROM jobs j JOIN run_jobs rj ON rj.job_id = j.id JOIN run_params p ON p.run_id = rj.run_id AND p.name = 'writes' ORDER BY 1 DESC, 2",
            in: directory)
        #expect(
            states == """
                stage,writes,state,attempts
                train,no,failed,2
                train,yes,succeeded,1
                eval,no,blocked,0
                eval,yes,succeeded,1

                """, "\(states)")
        let reasons = try sql("SELECT DISTINCT reason FROM attempts WHERE outcome = 'failed'", in: directory)
        #expect(reasons.split(separator: "\n").count == 2 && reasons.contains(reason), "\(reasons)")
    }

    @Test func aTrainersFilesInTheJobDirectoryLeaveAblatesDefinitionStatusAndMetricsIntact() throws {
        let directory = try AblateProcess.temporaryDirectory()
        // save_pretrained-style writes into {output}: config.json, trainer_state.json, checkpoint-N/; the first
        // attempt dies after its first checkpoint, the second resumes from it.
        let spec = """
            sweep: resume
            stages:
              train:
                retries: 1
                produces: [config.json, trainer_state.json]
                run: >-
                  cd {output} && echo '{{"step": '$ABLATE_ATTEMPT', "loss": 2}}' >> metrics.jsonl &&
                  if [ -d checkpoint-1 ]; then echo '{{"model_type": "llama"}}' > config.json &&
                  echo '{{"global_step": 2, "log_history": []}}' > trainer_state.json;
                  else mkdir -p checkpoint-1 && echo '{{"global_step": 1}}' > checkpoint-1/trainer_state.json &&
                  echo '{{"model_type": "partial"}}' > config.json && mkdir -p attempts && echo x > stdout.log && exit 1; fi
            """
        try spec.write(to: directory.appendingPathComponent("r.yaml"), atomically: true, encoding: .utf8)
        let run = try AblateProcess.run(["run", "r.yaml"], in: directory)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let output = try #require(
            try sql("SELECT output_dir FROM jobs", in: directory).split(separator: "\n").last.map(String.init))
        let job = URL(fileURLWithPath: output)
        let definition = try String(contentsOf: job.appendingPathComponent(".ablate/config.json"), encoding: .utf8)
        #expect(definition.contains("\"stage\": \"train\""))
        #expect(try String(contentsOf: job.appendingPathComponent("config.json"), encoding: .utf8).contains("llama"))
        for attempt in [1, 2] {
            #expect(
                FileManager.default.fileExists(
                    atPath: job.appendingPathComponent(".ablate/attempts/\(attempt).exit.json").path))
        }
        #expect(
            try sql("SELECT outcome, exit_code FROM attempts ORDER BY number", in: directory)
                == "outcome,exit_code\nfailed,1\nsucceeded,0\n")
        #expect(try sql("SELECT COUNT(*) AS points FROM metric_points", in: directory) == "points\n2\n")
        let logs = try AblateProcess.run(["logs", String(output.suffix(64).prefix(12))], in: directory)
        #expect(!logs.stdout.contains("x\n"), "the trainer's stdout.log is not Ablate's")
    }
}
