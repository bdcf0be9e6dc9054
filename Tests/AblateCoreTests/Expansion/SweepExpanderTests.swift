import Testing

@testable import AblateCore

@Suite struct SweepExpanderTests {
    @Test func gridIsACartesianProductLastAxisFastest() throws {
        let loaded = try load(
            """
            sweep: x
            grid:
              long_data: [books, code]
              seed: [1, 2, 3]
            stages:
              s: {run: echo, uses: [long_data, seed]}
            """)
        #expect(
            runLines(loaded.plan) == [
                "long_data=books seed=1", "long_data=books seed=2", "long_data=books seed=3",
                "long_data=code seed=1", "long_data=code seed=2", "long_data=code seed=3",
            ])
    }

    @Test func zipGroupsVaryTogetherAndMultiplyWithTheGrid() throws {
        let loaded = try load(
            """
            sweep: x
            grid:
              seed: [1, 2]
            zip:
              - train_length: [65536, 524288]
                steps: [1000, 125]
            stages:
              s: {run: echo, uses: [seed, train_length, steps]}
            """)
        #expect(
            runLines(loaded.plan) == [
                "seed=1 train_length=65536 steps=1000", "seed=1 train_length=524288 steps=125",
                "seed=2 train_length=65536 steps=1000", "seed=2 train_length=524288 steps=125",
            ])
    }

    @Test func excludeDropsMatchingPointsThenIncludeAddsPointsOverParams() throws {
        let loaded = try load(
            """
            sweep: x
            params:
              lr: 1e-5
            grid:
              long_data: [books, code]
              sft_data: [ultrachat, tulu]
            exclude:
              - {long_data: books, sft_data: tulu}
            include:
              - {long_data: books, sft_data: tulu, lr: 2e-5}
            stages:
              s: {run: echo, uses: [long_data, sft_data, lr]}
            """)
        #expect(
            runLines(loaded.plan) == [
                "lr=1e-5 long_data=books sft_data=ultrachat",
                "lr=1e-5 long_data=code sft_data=ultrachat",
                "lr=1e-5 long_data=code sft_data=tulu",
                "lr=2e-5 long_data=books sft_data=tulu",
            ])
    }

    @Test func includeMayReAddAnExcludedPoint() throws {
        let loaded = try load(
            """
            sweep: x
            grid: {a: [1, 2]}
            exclude: [{a: 2}]
            include: [{a: 2}]
            stages:
              s: {run: echo, uses: [a]}
            """)
        #expect(runLines(loaded.plan) == ["a=1", "a=2"])
    }

    @Test func presetsResolveToTheirValueAndKeepTheNameAsLabel() throws {
        let loaded = try load(
            """
            sweep: x
            presets:
              long_data:
                books: book-65536@0.6
                both: [thestackv1_concat_by_repo-65536@0.3, book-65536@0.3]
            grid:
              long_data: [books, both, fineweb@1.0]
            exclude:
              - {long_data: both}
            include:
              - {long_data: both}
            stages:
              s: {run: echo, uses: [long_data]}
            """)
        let values = (0..<loaded.plan.runCount).map { loaded.plan.runParams($0)[0].value }
        #expect(values.map(\.label) == ["books", nil, "both"])
        #expect(
            values.map(\.value) == [
                .string("book-65536@0.6"), .string("fineweb@1.0"),
                .array([.string("thestackv1_concat_by_repo-65536@0.3"), .string("book-65536@0.3")]),
            ])
    }

    @Test func withoutAxesTheBaseIsOnePointUnlessIncludeGivesThePoints() throws {
        let single = try load("sweep: x\nparams: {a: 1}\nstages:\n  s: {run: echo, uses: [a]}\n")
        #expect(runLines(single.plan) == ["a=1"])
        let listed = try load(
            "sweep: x\nparams: {a: 1, b: 0}\ninclude: [{b: 1}, {b: 2}]\nstages:\n  s: {run: echo, uses: [a, b]}\n")
        #expect(runLines(listed.plan) == ["a=1 b=1", "a=1 b=2"])
        let bare = try load("sweep: x\nstages:\n  s: {run: echo}\n")
        #expect(bare.plan.runCount == 1)
        #expect(bare.plan.stages[0].jobCount == 1)
    }

    @Test func upstreamJobsAreSharedBetweenDownstreamVariants() throws {
        let loaded = try load(
            """
            sweep: x
            grid:
              long_data: [books, code]
              sft_data: [ultrachat, tulu, synthetic]
            stages:
              pretrain: {run: "train {params.long_data}", uses: [long_data]}
              sft: {run: "sft {pretrain.output} {params.sft_data}", uses: [sft_data], after: [pretrain]}
              eval: {run: "eval {sft.output}", after: [sft]}
            """)
        let plan = loaded.plan
        #expect(plan.runCount == 6)
        #expect(plan.stages.map(\.name) == ["pretrain", "sft", "eval"])
        #expect(plan.stages.map(\.jobCount) == [2, 6, 6])
        #expect(plan.stages[0].runsPerJob == [3, 3])
        // Runs with the same long_data point at the same pretrain job.
        let pretrainKeys = (0..<plan.runCount).map { plan.run($0).jobs[0] }
        #expect(Set(pretrainKeys[0..<3]).count == 1)
        #expect(pretrainKeys[0] != pretrainKeys[3])
        // Each SFT job records its upstream pretrain job.
        let sft = plan.job(stage: 1, index: 0)
        #expect(sft.upstream.map(\.stage) == ["pretrain"])
        #expect(sft.upstream[0].key == pretrainKeys[0])
        #expect(sft.paramValues == ["sft_data": .string("ultrachat")])
    }

    @Test func stagesAreOrderedByDependencyNotByPosition() throws {
        let loaded = try load(
            """
            sweep: x
            stages:
              eval: {run: echo, after: [sft]}
              sft: {run: echo, after: [pretrain]}
              pretrain: {run: echo}
            """)
        #expect(loaded.plan.stages.map(\.name) == ["pretrain", "sft", "eval"])
        #expect(loaded.plan.stages[2].upstreamStages == [1])
    }
}
