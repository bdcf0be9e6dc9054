import Testing

@testable import AblateCore

/// `checkpoints:` and `over: checkpoints`: SFT and evaluation of each checkpoint of a training job as
/// one more axis of the DAG, keyed by the training job and the step.
@Suite struct CheckpointFanOutTests {
    static func spec(steps: String = "[250, 500, 750, 1000]", over: String = "checkpoints") -> String {
        """
        sweep: fan
        grid:
          data: [books, repos, both]
          seed: [1, 2]
        stages:
          pretrain:
            uses: [data, seed]
            checkpoints: {path: "checkpoint-{step}", steps: \(steps), tokens_per_step: "1000 * 64"}
            run: train {params.data} {params.seed}
          sft:
            after: [pretrain]
            over: \(over)
            run: sft {pretrain.checkpoint} --out {output}
          eval:
            after: [sft]
            run: eval {sft.output} --step {checkpoint.step}
        """
    }

    func jobCounts(_ plan: SweepPlan) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: plan.stages.map { ($0.name, $0.jobCount) })
    }

    func keys(_ plan: SweepPlan, _ stage: String) -> Set<String> {
        Set(plan.stage(named: stage)!.keys.map(\.hex))
    }

    @Test func threeConfigurationsTwoSeedsFourCheckpointsAre24SFTAnd24EvalJobs() throws {
        let plan = try load(Self.spec()).plan
        #expect(jobCounts(plan) == ["pretrain": 6, "sft": 24, "eval": 24])
        #expect(plan.runCount == 24)
        #expect(
            runLines(plan).prefix(2) == [
                "data=books seed=1 checkpoint=250 checkpoint_tokens=16000000",
                "data=books seed=1 checkpoint=500 checkpoint_tokens=32000000",
            ])
        // Every run of one training job shares it.
        #expect(plan.stage(named: "pretrain")!.runsPerJob == [Int](repeating: 4, count: 6))
    }

    @Test func aFifthStepAddsOnlyItsOwnJobs() throws {
        let four = try load(Self.spec()).plan
        let five = try load(Self.spec(steps: "[250, 500, 750, 1000, 1250]")).plan
        #expect(jobCounts(five) == ["pretrain": 6, "sft": 30, "eval": 30])
        #expect(keys(five, "pretrain") == keys(four, "pretrain"))
        #expect(keys(five, "sft").isSuperset(of: keys(four, "sft")))
        #expect(keys(five, "sft").subtracting(keys(four, "sft")).count == 6)
        #expect(keys(five, "eval").subtracting(keys(four, "eval")).count == 6)
    }

    @Test func aSubsetOfCheckpoints() throws {
        let plan = try load(Self.spec(over: "{checkpoints: [500, 1000]}")).plan
        #expect(jobCounts(plan) == ["pretrain": 6, "sft": 12, "eval": 12])
        #expect(plan.spec.fanOut?.steps == [500, 1000])
        #expect(plan.spec.fanOut?.stages == ["sft", "eval"])
    }

    @Test func theCommandNamesTheCheckpointAndItsStep() throws {
        let plan = try load(Self.spec()).plan
        let sft = plan.stage(named: "sft")!
        let job = plan.job(stage: sft.index, index: 1)
        let command = sft.stage.run.render(
            config: "/c", output: "/o", stageOutputs: ["pretrain": "/p"], params: job.paramValues,
            checkpoints: ["pretrain": "/p/checkpoint-500"])
        #expect(command == "sft /p/checkpoint-500 --out /o")
        #expect(job.paramValues["checkpoint"] == .int(500))
        let eval = plan.stage(named: "eval")!
        let evalJob = plan.job(stage: eval.index, index: 1)
        #expect(
            eval.stage.run.render(config: "/c", output: "/o", stageOutputs: ["sft": "/s"], params: evalJob.paramValues)
                == "eval /s --step 500")
    }

    @Test func everyAndLast() throws {
        let plan = try load(
            Self.spec(steps: "[1]").replacingOccurrences(of: "steps: [1]", with: "every: 300, last: 1000")
        )
        .plan
        #expect(plan.spec.fanOut?.steps == [300, 600, 900, 1000])
    }

    @Test(arguments: [
        (
            "sweep: x\ngrid: {seed: [1]}\nstages:\n  pretrain: {run: train, uses: [seed]}\n  sft: {run: sft, after: [pretrain], over: checkpoints}\n",
            "t.yaml:5:44: error: stage 'sft' fans out over checkpoints, but no stage in its 'after' (pretrain) declares 'checkpoints'; add 'checkpoints: {path: \"checkpoint-{step}\", steps: [...]}' to the training stage it runs after"
        ),
        (
            "sweep: x\nstages:\n  pretrain: {run: train, checkpoints: {path: \"checkpoint-{step}\", steps: [5, 10]}}\n  sft: {run: sft, after: [pretrain], over: {checkpoints: [5, 15]}}\n",
            "t.yaml:4:62: error: step 15 is not a checkpoint of stage 'pretrain', beyond its last (its steps are 5, 10); use those steps"
        ),
        (
            "sweep: x\nstages:\n  pretrain: {run: train, checkpoints: {path: \"ckpt\", steps: [5]}}\n",
            "t.yaml:3:46: error: 'checkpoints.path' of stage 'pretrain' is 'ckpt', which has no '{step}'; write where the checkpoint of each step is, such as 'checkpoint-{step}'"
        ),
        (
            "sweep: x\nstages:\n  pretrain: {run: train, checkpoints: {path: \"c-{step}\", steps: [10, 5]}}\n",
            "t.yaml:3:70: error: 'checkpoints.steps' of stage 'pretrain' lists 5 after 10; list each step once, in increasing order"
        ),
        (
            "sweep: x\nstages:\n  pretrain: {run: train, checkpoints: {path: \"c-{step}\", steps: [5]}}\n  eval: {run: 'eval {pretrain.checkpoint}', after: [pretrain]}\n",
            "t.yaml:4:15: error: placeholder '{pretrain.checkpoint}' in stage 'eval' names a checkpoint, but the stage does not fan out over checkpoints; add 'over: checkpoints' to it"
        ),
        (
            "sweep: x\nstages:\n  pretrain: {run: 'train {checkpoint.step}'}\n",
            "t.yaml:3:19: error: placeholder '{checkpoint.step}' in stage 'pretrain' has no checkpoint: the stage does not fan out over checkpoints; add 'over: checkpoints' to it"
        ),
        (
            "sweep: x\nparams: {checkpoint: 3}\nstages:\n  pretrain: {run: train, checkpoints: {path: \"c-{step}\", steps: [5]}}\n  sft: {run: sft, after: [pretrain], over: checkpoints}\n",
            "t.yaml:2:10: error: parameter 'checkpoint' is the implicit parameter of the checkpoint fan-out (the step each run is at); rename it"
        ),
        (
            "sweep: x\nstages:\n  pretrain: {run: train, over: everything}\n",
            "t.yaml:3:32: error: 'over' of stage 'pretrain' is 'everything'; write 'checkpoints', or '{checkpoints: [500, 1000]}' for some of them"
        ),
    ])
    func badFanOutsAreRefusedAtTheirPosition(yaml: String, expected: String) {
        #expect(diagnostics(yaml).contains(expected), "\(diagnostics(yaml))")
    }

    @Test(arguments: [
        (
            "every: 0, last: 384",
            "t.yaml:3:65: error: 'checkpoints.every' of stage 'pretrain' must be a whole number, 1 or more, not '0'"
        ),
        (
            "last: 384",
            "t.yaml:3:64: error: 'checkpoints' of stage 'pretrain' needs both 'every' and 'last' (the training's final step), or a 'steps' list"
        ),
    ])
    func aStepRuleGetsOneErrorNotAFollowOnOne(rule: String, expected: String) {
        let yaml = "sweep: x\nstages:\n  pretrain: {run: train, checkpoints: {path: \"c-{step}\", \(rule)}}\n"
        #expect(diagnostics(yaml) == [expected])
    }
}
