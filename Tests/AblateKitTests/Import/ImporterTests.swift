import AblateCore
import AblateStore
import Foundation
import Testing

@testable import AblateKit

@Suite struct ImporterTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test func helmetDirectoryBecomesOneRunPerLengthWithPaperCategories() throws {
        let runs = try HELMETImporter.runs(in: Self.fixtures.appendingPathComponent("helmet"))
        #expect(
            runs.map(\.params) == [
                ["model": .string("Llama-3-8B-ProLong"), "eval_length": .int(32768)],
                ["model": .string("Llama-3-8B-ProLong"), "eval_length": .int(65536)],
            ])
        let short = runs[0].metrics
        #expect(short["recall"] == 96.0)
        // RAG = mean of NQ (from its .score file: 61), HotpotQA 55, PopQA 50.
        #expect(short["helmet.nq"] == 61.0)
        #expect(short["rag"] == (61.0 + 55.0 + 50.0) / 3)
        #expect(short["rerank"] == 30.0)
        #expect(short["icl"] == (80.0 + 60.0 + 85.0 + 90.0 + 85.0) / 5)
        // QA from the GPT-4 file, 0-3 rescaled to 0-100; Summ. from the older 'gpt4-f1' spelling, x100.
        #expect(abs(short["qa"]! - 80.0) < 1e-9)
        #expect(abs(short["summ"]! - 30.0) < 1e-9)
        #expect(abs(runs[1].metrics["qa"]! - 70.0) < 1e-9)
    }

    @Test func lmEvalResultsInBothKeyStyles() throws {
        let new = try LMEvalImporter.run(
            in: Self.fixtures.appendingPathComponent("lm-eval/results_2024-10-01T12-00-00.json"))
        #expect(new.params == ["model": .string("princeton-nlp/Llama-3-8B-ProLong-64k-Base")])
        #expect(
            new.metrics.mapValues { ($0 * 10).rounded() / 10 } == [
                "hellaswag": 79.5, "mmlu": 65.2, "arc_challenge": 55.0, "winogrande": 74.0, "gsm8k": 48.0,
            ])
        let old = try LMEvalImporter.run(in: Self.fixtures.appendingPathComponent("lm-eval/results_old.json"))
        #expect(old.params == ["model": .string("meta-llama/Meta-Llama-3-8B")])
        #expect(old.metrics.mapValues { ($0 * 10).rounded() / 10 } == ["hellaswag": 78.0, "winogrande": 73.0])
    }

    @Test func jsonlLinesAndTheirErrors() throws {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("external.jsonl"), encoding: .utf8)
        let runs = try JSONLImporter.runs(in: text, file: "external.jsonl", defaultSweep: nil)
        #expect(runs.keys.sorted() == ["baselines"])
        #expect(runs["baselines"]?.count == 2)
        #expect(throws: ImportError.malformed("x.jsonl", line: 2, reason: "metric 'recall' is not a number")) {
            try JSONLImporter.runs(
                in: "{\"sweep\": \"s\", \"metrics\": {}}\n{\"sweep\": \"s\", \"metrics\": {\"recall\": \"high\"}}",
                file: "x.jsonl", defaultSweep: nil)
        }
        #expect(throws: ImportError.malformed("x.jsonl", line: 1, reason: "no \"sweep\"; add one or pass --sweep")) {
            try JSONLImporter.runs(in: "{\"metrics\": {}}", file: "x.jsonl", defaultSweep: nil)
        }
    }

    @Test func reimportingChangesNothing() throws {
        let store = try ResultStore.inMemory()
        let runs = try HELMETImporter.runs(in: Self.fixtures.appendingPathComponent("helmet"))
        let first = try store.importRuns(runs, sweep: "helmet", source: "fixtures")
        #expect(first == .init(added: 2, updated: 0, unchanged: 0))
        let second = try store.importRuns(runs, sweep: "helmet", source: "fixtures")
        #expect(second == .init(added: 0, updated: 0, unchanged: 2))
        let rows = try store.runs(sweep: "helmet", where: "eval_length = 65536 and metric.recall = 90")
        #expect(rows.count == 1)
        #expect(rows.first?.status == .external)
        #expect(rows.first?.external == true)
    }
}
