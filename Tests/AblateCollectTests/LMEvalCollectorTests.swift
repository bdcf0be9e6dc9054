import AblateCollect
import AblateCore
import AblateTestSupport
import Foundation
import Testing

@Suite struct LMEvalCollectorTests {
    let collector = JobCollector(kind: .lmEval, path: "lm-eval")

    func values(_ results: CollectedResults) -> [String: Double] {
        Dictionary(results.values.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    @Test(arguments: [LMEvalFixture.Shape.current, .v045])
    func thePapersTasksAreReadWithTheirMetricFromAnOutputPathFolder(shape: LMEvalFixture.Shape) throws {
        let work = try ScratchDirectory()
        let (results, groups) = LMEvalFixture.paperResults(0.5, shape: shape)
        try LMEvalFixture.write(
            into: work.url, model: "/ckpt/sft", stamp: "2024-10-01T12-15-59.947895", shape: shape, results: results,
            groups: groups, limit: 100, nShot: 5)
        let read = try LMEvalCollector().collect(in: work.url, as: collector)
        let table = values(read)
        #expect(abs(table["hellaswag"]! - 55) < 1e-9)  // acc_norm
        #expect(abs(table["arc_challenge"]! - 45) < 1e-9)  // acc_norm
        #expect(abs(table["mmlu"]! - 52) < 1e-9)  // the group's acc
        #expect(abs(table["winogrande"]! - 60) < 1e-9)  // acc
        #expect(abs(table["gsm8k"]! - 30) < 1e-9)  // strict-match
        #expect(table["lm_eval.gsm8k.exact_match.flexible-extract"] == 0.35)
        #expect(table["lm_eval.hellaswag.acc_stderr"] == 0.01)
        #expect(table["lm_eval.mmlu_abstract_algebra.acc"] == 0.5)
        #expect(read.warnings.isEmpty, "\(read.warnings)")
        #expect(read.provenance["limit"] == .double(100))
        #expect(read.provenance["git_hash"] == .string("4e7e0d4"))
        guard case .object(let shots)? = read.provenance["n-shot"] else {
            Issue.record("no n-shot in \(read.provenance)")
            return
        }
        #expect(shots["gsm8k"] == ParamValue.int(5))
        #expect(read.provenance["lm_eval_version"] == (shape == .current ? .string("0.4.13") : nil))
        #expect(read.files == ["results_2024-10-01T12-15-59.947895.json"])
    }

    @Test(arguments: [LMEvalFixture.Shape.current, .v045])
    func oneModelIsOneModelWhateverShapeItsArgumentsHave(shape: LMEvalFixture.Shape) throws {
        let work = try ScratchDirectory()
        let (results, groups) = LMEvalFixture.paperResults(0.5, shape: shape)
        try LMEvalFixture.write(
            into: work.url, model: "org/model", stamp: "2024-10-01T12-00-00.000001", shape: shape, results: results,
            groups: groups)
        try LMEvalFixture.write(
            into: work.url, model: "org/model", stamp: "2024-10-02T12-00-00.000001", shape: shape,
            results: ["hellaswag": results["hellaswag"]!])
        let models = try LMEvalCollector().models(in: work.url)
        #expect(models.map(\.model) == ["org/model"])
        #expect(models[0].results.files.count == 2)
    }

    @Test func eachTaskComesFromTheNewestFileThatHasIt() throws {
        let work = try ScratchDirectory()
        let (old, oldGroups) = LMEvalFixture.paperResults(0.5, shape: .current)
        try LMEvalFixture.write(
            into: work.url, model: "m", stamp: "2024-10-01T12-00-00", shape: .current, results: old, groups: oldGroups)
        let (new, _) = LMEvalFixture.paperResults(0.7, shape: .current)
        try LMEvalFixture.write(
            into: work.url, model: "m", stamp: "2024-10-03T09-30-00.5", shape: .current,
            results: ["hellaswag": new["hellaswag"]!])
        let table = values(try LMEvalCollector().collect(in: work.url, as: collector))
        #expect(abs(table["hellaswag"]! - 75) < 1e-9)
        #expect(abs(table["winogrande"]! - 60) < 1e-9)
    }

    @Test func aFallbackFromStrictMatchIsAWarning() throws {
        let work = try ScratchDirectory()
        let file = try LMEvalFixture.write(
            into: work.url, model: "m", stamp: "2024-10-01T12-00-00", shape: .current,
            results: ["gsm8k": .object(["alias": "gsm8k", "exact_match,flexible-extract": .double(0.4)])])
        let read = try LMEvalCollector().collect(in: work.url, as: collector)
        #expect(values(read)["gsm8k"] == 40)
        #expect(
            read.warnings == [
                "\(file.path): gsm8k has no 'exact_match,strict-match'; recorded 'exact_match,flexible-extract' instead"
            ])
    }

    @Test func resultsOfAnotherHarnessAndTruncatedFilesAreClearErrors() throws {
        let work = try ScratchDirectory()
        let folder = work.url.appendingPathComponent("m")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let foreign = folder.appendingPathComponent("results_2024-10-01T12-00-00.json")
        try Data(#"{"results": [{"task": "hellaswag", "score": 0.5}], "version": "0.3"}"#.utf8).write(to: foreign)
        #expect(
            throws: CollectionError.malformed(
                foreign.path, reason: "has no \"results\" object; is it an lm-evaluation-harness results file?")
        ) { try LMEvalCollector().collect(in: work.url, as: collector) }
        try Data(#"{"results": {"hellaswag": {"acc,none": 0.5"#.utf8).write(to: foreign)
        #expect {
            try LMEvalCollector().collect(in: work.url, as: collector)
        } throws: { error in
            (error as? CollectionError)?.description.hasPrefix("\(foreign.path): is not complete JSON") == true
        }
        let empty = try ScratchDirectory()
        #expect(
            throws: CollectionError.empty(
                empty.url.path,
                expected: "lm-evaluation-harness results_<timestamp>.json files (its --output_path folder)")
        ) { try LMEvalCollector().collect(in: empty.url, as: collector) }
    }

    @Test(arguments: [LMEvalFixture.Shape.current, .v045])
    func perSampleScoresAreKeptForPairedTests(shape: LMEvalFixture.Shape) throws {
        let work = try ScratchDirectory()
        let stamp = "2024-10-01T12-00-00.123"
        let (results, groups) = LMEvalFixture.paperResults(0.5, shape: shape)
        let file = try LMEvalFixture.write(
            into: work.url, model: "m", stamp: stamp, shape: shape, results: results, groups: groups)
        try LMEvalFixture.writeSamples(
            beside: file, task: "gsm8k", stamp: stamp, metric: "exact_match", scores: [1, 0, 1],
            filters: ["strict-match", "flexible-extract"], shape: shape)
        try LMEvalFixture.writeSamples(
            beside: file, task: "mmlu_abstract_algebra", stamp: stamp, metric: "acc", scores: [0, 1],
            filters: ["none"], shape: shape)
        let read = try LMEvalCollector().collect(in: work.url, as: collector)
        let gsm8k = try #require(read.examples.first { $0.key == "gsm8k" })
        #expect(gsm8k.ids == ["0", "1", "2"])
        #expect(gsm8k.scores == [100, 0, 100])
        let mmlu = try #require(read.examples.first { $0.key == "mmlu" })
        #expect(mmlu.ids == ["mmlu_abstract_algebra:0", "mmlu_abstract_algebra:1"])
    }
}
