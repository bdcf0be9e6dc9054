import AblateTestSupport
import Foundation
import Testing

/// Driving ProLong's train_64K.sh as the paper sweeps must (its interface reproduced by
/// scripts/standins/prolong: the environment it reads, the flags it appends `$@` after, `checkpoints/$run_name`,
/// `| tee` without pipefail): the mix as `--tokenized_mds_train` streams, `--output_dir {output}`, and
/// `produces:`, without which a crashed training passes as succeeded.
@Suite(.enabled(if: TestTools.python, "needs python3 for the torchrun stand-in"))
struct ProLongStandInTests {
    func checkout(in directory: URL) throws -> URL { try ProLongStandIn.checkout(in: directory) }

    func spec(mix: String) -> String {
        """
        sweep: prolong
        params:
          steps: 4
        presets:
          long_data:
            books: datasets/long-context-65536/book-65536@0.6
            repos: datasets/long-context-65536/thestackv1_concat_by_repo-65536@0.6
        grid:
          long_data: [books, repos]
          seed: [1, 2]
        stages:
          pretrain:
            uses: [long_data, steps, seed]
            requires: {env: [PROLONG_DIR], paths: ["$PROLONG_DIR/train_64K.sh"]}
            produces: [config.json, train_results.json, "checkpoint-*/trainer_state.json"]
            run: >-
              cd "$PROLONG_DIR" && STEPS={params.steps} SAVE=2 SUFFIX=_$ABLATE_JOB_ID \(mix)
        """
    }

    func run(_ spec: String) throws -> (URL, AblateProcess.Result) {
        let directory = try AblateProcess.temporaryDirectory()
        let prolong = try checkout(in: directory)
        try spec.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let path = ProLongStandIn.bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        let result = try AblateProcess.run(
            ["run", "s.yaml"], in: directory, environment: ["PROLONG_DIR": prolong.path, "PATH": path])
        return (directory, result)
    }

    @Test func eachJobTrainsItsOwnMixIntoItsOwnDirectory() throws {
        let (directory, result) = try run(
            spec(
                mix:
                    "MIX={params.long_data}' datasets/long-context-65536/fineweb-edu@0.4'; bash train_64K.sh --output_dir {output} --seed {params.seed} --tokenized_mds_train $MIX"
            ))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let rows = try AblateProcess.run(["sql", "SELECT output_dir FROM jobs", "--format", "csv"], in: directory)
            .stdout.split(separator: "\n").dropFirst().map(String.init)
        #expect(Set(rows).count == 4)
        for row in rows {
            let arguments = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: row + "/standin-arguments.json"))) as? [String: Any])
            #expect(arguments["output_dir"] as? String == row)
            let streams = try #require(arguments["tokenized_mds_train"] as? [String])
            #expect(streams.count == 2 && streams[1] == "datasets/long-context-65536/fineweb-edu@0.4")
            let config = try String(contentsOfFile: row + "/.ablate/config.json", encoding: .utf8)
            #expect(config.contains(streams[0]), "the job trained the mix its config names")
        }
    }

    @Test func aCrashedTrainingThatExitsZeroFailsOnItsMissingOutputs() throws {
        // The mix in DATASET, as the sweeps wrote it: the script word-splits it into stream paths such as
        // 'textbooks@0.03/...' whose proportion is not a number; torchrun fails, `tee` exits 0.
        let (directory, result) = try run(
            spec(
                mix:
                    "DATASET={params.long_data}' textbooks@0.03' bash train_64K.sh --output_dir {output} --seed {params.seed}"
            ))
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("exited 0 but produced no 'config.json', 'train_results.json'"), "\(result.stdout)")
        let states = try AblateProcess.run(
            ["sql", "SELECT DISTINCT state FROM jobs", "--format", "csv"], in: directory)
        #expect(states.stdout == "state\nfailed\n")
    }

    @Test func the512KArmResumesFromThe64KJobAndSFTStartsFromIt() throws {
        let spec = """
            sweep: chain
            grid:
              seed: [1]
            stages:
              pretrain:
                uses: [seed]
                produces: [config.json, train_results.json]
                run: >-
                  cd "$PROLONG_DIR" && STEPS=4 SAVE=2 SUFFIX=_$ABLATE_JOB_ID bash train_64K.sh --output_dir {output}
                  --seed {params.seed} --tokenized_mds_train datasets/long-context-65536/book-65536@1
              long:
                after: [pretrain]
                produces: [config.json, train_results.json]
                run: >-
                  cd "$PROLONG_DIR" && STEPS=2 SAVE=1 SUFFIX=_$ABLATE_JOB_ID bash train_512K.sh --output_dir {output}
                  --resume_from_checkpoint {pretrain.output} --tokenized_mds_train datasets/long-context-524288/book-524288@1
              sft:
                after: [long]
                produces: [config.json, train_results.json]
                run: >-
                  cd "$PROLONG_DIR" && MODEL={long.output} STEPS=2 SAVE=2 SUFFIX=_$ABLATE_JOB_ID bash train_sft.sh
                  --output_dir {output}
            """
        let (directory, result) = try run(spec)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        func arguments(_ stage: String) throws -> [String: Any] {
            let output = try #require(
                try AblateProcess.run(
                    ["sql", "SELECT output_dir FROM jobs WHERE stage = '\(stage)'", "--format", "csv"], in: directory
                ).stdout.split(separator: "\n").last.map(String.init))
            return try #require(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: output + "/standin-arguments.json"))) as? [String: Any])
        }
        let pretrain = try arguments("pretrain")
        let long = try arguments("long")
        let sft = try arguments("sft")
        #expect(long["resume_from_checkpoint"] as? String == pretrain["output_dir"] as? String)
        #expect(long["config_overrides"] as? String == "rope_theta=128000000")
        #expect(sft["model_name"] as? String == long["output_dir"] as? String)
        #expect(sft["tokenized_mds_train"] as? [String] == ["datasets/prolong-ultrachat-64K@1.0"])
        #expect(sft["apply_instruct_masks"] as? Bool == true)
    }
}
