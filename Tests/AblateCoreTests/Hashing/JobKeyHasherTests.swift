import Foundation
import Testing

@testable import AblateCore

@Suite struct JobKeyHasherTests {
    static let spec = """
        sweep: keys
        params:
          model: meta-llama/Meta-Llama-3-8B
          mix: {books: 0.3, repos: 0.3}
        grid:
          seed: [1, 2]
        stages:
          pretrain: {run: "train {params.model} {params.seed}", uses: [model, mix, seed]}
          sft: {run: "sft {pretrain.output}", after: [pretrain]}
        """

    static func keys(_ yaml: String) throws -> [String] {
        let plan = try load(yaml).plan
        return plan.stages.flatMap { $0.keys.map(\.hex) }
    }

    /// Golden keys: the same spec gives the same keys in every process, on every machine.
    @Test func keysAreStableAcrossProcesses() throws {
        // Also checked independently with Python's hashlib and json.dumps(sort_keys=True).
        #expect(
            try Self.keys(Self.spec) == [
                "0177c74dedee2a5aa7f7b99687ffab177a8032272330ca1c55f1a57a09bccf35",
                "f84cb93ada1b4ac3191c8d43c135c9ca4ee84b78e5e02fa2d609d033322c159a",
                "ce6683aff9ca91e671b836f845b62eb25f054cce0ee9864b6459a513c7701f14",
                "127e9d5820b18dc4107317f0a4657e9edfdd30716027e7bf0616cbf1b1c4030f",
            ])
        let pretrain = try load(Self.spec).plan.job(stage: 0, index: 0)
        #expect(
            pretrain.key
                == JobKeyHasher(stageName: "pretrain", template: "train {params.model} {params.seed}")
                .key(params: pretrain.paramValues, upstream: []))
    }

    @Test func keyIsTheDocumentedSHA256() throws {
        let template = "train {params.seed}"
        let key = JobKeyHasher(stageName: "pretrain", template: template)
            .key(params: ["seed": .int(1)], upstream: [])
        var message = Array("ablate-job-v1\npretrain\n\(template.utf8.count)\n\(template)".utf8)
        message += [UInt8](repeating: 0, count: 64 - message.count % 64)
        message += Array("{\"seed\":1}\n".utf8)
        #expect(key == SHA256.hash(message))
    }

    @Test func reorderingMapKeysOfAValueKeepsKeys() throws {
        let reordered = Self.spec.replacingOccurrences(of: "{books: 0.3, repos: 0.3}", with: "{repos: 0.3, books: 0.3}")
            .replacingOccurrences(of: "uses: [model, mix, seed]", with: "uses: [seed, mix, model]")
        #expect(reordered != Self.spec)
        #expect(try Self.keys(reordered) == Self.keys(Self.spec))
    }

    @Test func renamingTheSweepKeepsKeys() throws {
        let renamed = Self.spec.replacingOccurrences(of: "sweep: keys", with: "sweep: other")
        #expect(try Self.keys(renamed) == Self.keys(Self.spec))
        #expect(try load(renamed).plan.runID(0) != load(Self.spec).plan.runID(0))
    }

    @Test func changingAUsesValueChangesThatJobAndEverythingDownstream() throws {
        let changed = Self.spec.replacingOccurrences(of: "seed: [1, 2]", with: "seed: [1, 3]")
        let before = try Self.keys(Self.spec)
        let after = try Self.keys(changed)
        // Order: pretrain seed 1, pretrain seed 2/3, sft after seed 1, sft after seed 2/3.
        #expect(after[0] == before[0])
        #expect(after[1] != before[1])
        #expect(after[2] == before[2])
        #expect(after[3] != before[3])
    }

    @Test func changingTheCommandChangesKeysButResourcesDoNot() throws {
        let command = Self.spec.replacingOccurrences(of: "sft {pretrain.output}", with: "sft --lr 1 {pretrain.output}")
        #expect(try Self.keys(command).suffix(2) != Self.keys(Self.spec).suffix(2))
        let resources = Self.spec.replacingOccurrences(
            of: "after: [pretrain]}", with: "after: [pretrain], resources: {gpus: 8}, retries: 3}")
        #expect(try Self.keys(resources) == Self.keys(Self.spec))
    }

    @Test func twoSweepsNeedingTheSameJobShareIt() throws {
        let other = """
            sweep: other-ablation
            params:
              mix: {repos: 0.3, books: 0.3}
              model: meta-llama/Meta-Llama-3-8B
              unrelated: 7
            grid:
              seed: [2]
            stages:
              pretrain: {run: "train {params.model} {params.seed}", uses: [seed, model, mix]}
            """
        #expect(try Self.keys(other)[0] == Self.keys(Self.spec)[1])
    }
}
