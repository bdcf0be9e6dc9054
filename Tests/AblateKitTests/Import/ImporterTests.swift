import AblateCore
import AblateStore
import AblateTestSupport
import Foundation
import Testing

@testable import AblateKit

@Suite struct ImporterTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test(.enabled(if: TestTools.python, "needs python3 for the HELMET stand-in"))
    func helmetOutputBecomesOneRunPerModelWithValuesPerLength() throws {
        let work = try ScratchDirectory()
        // HELMET's layout: output/<model>/ per model; two models whose folders have the same name elsewhere.
        try HELMETStandIn.evaluate(model: "Llama-3-8B-ProLong", in: work.url, configs: ["recall", "rag"])
        try HELMETStandIn.evaluate(model: "Llama-3-8B-Base", in: work.url, configs: ["recall", "rag"])
        let (runs, warnings) = try HELMETImporter.runs(in: work.url.appendingPathComponent("output"))
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(runs.map(\.params) == [["model": "/models/Llama-3-8B-Base"], ["model": "/models/Llama-3-8B-ProLong"]])
        #expect(Set(runs[0].lengthMetrics["rag"]?.keys ?? [:].keys) == [8192, 16384, 32768, 65536])
        #expect(runs[0].lengthMetrics["recall"]?[65536] != runs[1].lengthMetrics["recall"]?[65536])
        #expect(runs[0].lengthMetrics["helmet.nq.substring_exact_match"]?.count == 4)
    }

    @Test(.enabled(if: TestTools.python, "needs python3 for the HELMET stand-in"))
    func twoJobsFilesInEquallyNamedFoldersStayTwoRuns() throws {
        let first = try ScratchDirectory()
        let second = try ScratchDirectory()
        // A sweep's jobs all write to {output}/helmet: the folder names are the same, the models are not.
        for (work, model) in [(first, "run-a"), (second, "run-b")] {
            let output = try HELMETStandIn.evaluate(model: model, in: work.url, configs: ["rerank"])
            try FileManager.default.moveItem(at: output, to: work.url.appendingPathComponent("helmet"))
        }
        let store = try ResultStore.inMemory()
        let a = try HELMETImporter.runs(in: first.url.appendingPathComponent("helmet")).runs
        let b = try HELMETImporter.runs(in: second.url.appendingPathComponent("helmet")).runs
        #expect(try store.importRuns(a, sweep: "h", source: "a") == .init(added: 1))
        #expect(try store.importRuns(b, sweep: "h", source: "b") == .init(added: 1))
        #expect(try store.runs(sweep: "h").count == 2)
    }

    @Test(.enabled(if: TestTools.python, "needs python3 for the HELMET stand-in"))
    func aFolderOfScoreAndJudgeFilesAloneImportsAsHELMETsCollectionReadsIt() throws {
        let work = try ScratchDirectory()
        let output = try HELMETStandIn.evaluate(model: "m", in: work.url, configs: ["rag", "longqa"])
        for name in try FileManager.default.contentsOfDirectory(atPath: output.path) where name.hasSuffix("_42.json") {
            try FileManager.default.removeItem(at: output.appendingPathComponent(name))
        }
        let (runs, warnings) = try HELMETImporter.runs(in: output)
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(runs.count == 1)
        // The judge's files hold eval.py's args, so the model is known without the .json files.
        #expect(runs[0].params == ["model": "/models/m"])
        #expect(runs[0].lengthMetrics["rag"]?.count == 4)
        #expect(runs[0].lengthMetrics["helmet.narrativeqa.gpt-4-score"]?.count == 4)
    }

    @Test(arguments: [LMEvalFixture.Shape.current, .v045])
    func lmEvalOutputPathsBecomeOneRunPerModel(shape: LMEvalFixture.Shape) throws {
        let work = try ScratchDirectory()
        let (results, groups) = LMEvalFixture.paperResults(0.5, shape: shape)
        try LMEvalFixture.write(
            into: work.url, model: "princeton-nlp/Llama-3-8B-ProLong-64k-Base", stamp: "2024-10-01T12-00-00",
            shape: shape, results: results, groups: groups)
        try LMEvalFixture.write(
            into: work.url, model: "meta-llama/Meta-Llama-3-8B", stamp: "2024-10-01T13-00-00", shape: shape,
            results: results, groups: groups)
        let (runs, warnings) = try LMEvalImporter.runs(in: work.url)
        #expect(warnings.isEmpty)
        #expect(
            runs.map(\.params) == [
                ["model": "princeton-nlp/Llama-3-8B-ProLong-64k-Base"], ["model": "meta-llama/Meta-Llama-3-8B"],
            ])
        #expect(runs.allSatisfy { abs(($0.metrics["gsm8k"] ?? 0) - 30) < 1e-9 })
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
        let runs = [
            ExternalRun(
                params: ["model": "m"], metrics: ["hellaswag": 80], lengthMetrics: ["recall": [32768: 90, 65536: 80]])
        ]
        #expect(try store.importRuns(runs, sweep: "helmet", source: "fixtures") == .init(added: 1))
        #expect(try store.importRuns(runs, sweep: "helmet", source: "fixtures") == .init(unchanged: 1))
        var changed = runs
        changed[0].lengthMetrics["recall"]?[65536] = 81
        #expect(try store.importRuns(changed, sweep: "helmet", source: "fixtures") == .init(updated: 1))
        let rows = try store.runs(sweep: "helmet", where: "metric.recall@65536 = 81")
        #expect(rows.count == 1)
        #expect(rows.first?.status == .external)
        #expect(rows.first?.metrics["recall"] == 85.5)
    }
}
