import AblateCore
import Testing

@testable import AblateKit

@Suite struct PlanSummaryTests {
    static let yaml = """
        sweep: s
        params: {lr: 1e-5}
        grid:
          long_data: [books, code]
          seed: [1, 2]
        stages:
          pretrain: {run: "train {params.long_data}", uses: [long_data, lr]}
          eval: {run: "eval {pretrain.output} {params.seed}", uses: [seed], after: [pretrain]}
        """

    @Test func countsSharedAndDoneJobs() throws {
        let plan = try SpecLoader.load(yaml: Self.yaml, file: "s.yaml").plan
        let done: Set<Digest> = [plan.stages[0].keys[0]]
        let summary = PlanSummary(plan: plan, doneKeys: done)
        #expect(summary.stages.map(\.jobs) == [2, 4])
        #expect(summary.stages.map(\.sharedJobs) == [2, 0])
        #expect(summary.stages.map(\.doneJobs) == [1, 0])
        #expect(summary.state(of: plan.stages[0].keys[0]) == .done)
        #expect(summary.state(of: plan.stages[0].keys[1]) == .new)
        let text = summary.text()
        #expect(text.hasPrefix("sweep 's': 4 runs, 6 jobs in 2 stages, 1 already done\n"))
        #expect(text.contains("\nfixed: lr=1e-5\n"))
        #expect(text.contains("(done)"))
    }

    @Test func textListingIsLimited() throws {
        let plan = try SpecLoader.load(yaml: Self.yaml, file: "s.yaml").plan
        let text = PlanSummary(plan: plan).text(limit: 1)
        #expect(text.contains("  ... and 3 more (--json lists all)"))
        #expect(text.contains("  ... and 5 more (--json lists all)"))
    }

    @Test func jsonIsPrettyWithSortedKeys() throws {
        let plan = try SpecLoader.load(yaml: "sweep: t\nstages:\n  a: {run: echo}\n", file: "t.yaml").plan
        let key = plan.stages[0].keys[0].hex
        #expect(
            PlanSummary(plan: plan).json() == """
                {
                  "jobs": [
                    {
                      "after": [],
                      "id": "\(key)",
                      "params": {},
                      "runs": 1,
                      "stage": "a",
                      "state": "new"
                    }
                  ],
                  "runs": [
                    {
                      "id": "\(plan.runID(0).hex)",
                      "jobs": [
                        "\(key)"
                      ],
                      "labels": {},
                      "params": {}
                    }
                  ],
                  "sweep": "t"
                }
                """)
    }
}
