import AblateCollect
import AblateCore
import AblateTestSupport
import Foundation
import Testing

/// The HELMET reader against files written as HELMET writes them (the stand-in), and against HELMET's own
/// collection logic (the Python baseline) over the same files.
@Suite(.enabled(if: TestTools.python, "needs python3 for the HELMET stand-in"))
struct HELMETCollectorTests {
    static let lengths = [32768, 65536]

    func collect(_ folder: URL, _ configure: (inout JobCollector) -> Void = { _ in }) throws -> CollectedResults {
        var collector = JobCollector(kind: .helmet, path: ".")
        configure(&collector)
        return try HELMETCollector().collect(in: folder, as: collector)
    }

    func values(_ results: CollectedResults) -> [Int: [String: Double]] {
        var table: [Int: [String: Double]] = [:]
        for value in results.values { table[value.length ?? 0, default: [:]][value.key] = value.value }
        return table
    }

    @Test func everyDatasetAndCategoryEqualsHELMETsCollectionLogic() throws {
        let work = try ScratchDirectory()
        let folder = try HELMETStandIn.evaluate(model: "golden-model", in: work.url)
        let results = try collect(folder) { $0.lengths = Self.lengths }
        let baseline = try HELMETStandIn.baseline([folder], lengths: Self.lengths)
        let expected = try #require(baseline[folder.path])
        let recorded = values(results)
        #expect(Set(recorded.keys) == Set(Self.lengths))
        for length in Self.lengths {
            let row = try #require(expected["\(length)"])
            #expect(row.count == 43)  // 35 dataset metrics, 7 categories and their mean
            for (column, value) in row {
                let parts = column.split(separator: " ").map(String.init)
                let key = parts.count == 2 ? HELMETScoring.key(dataset: parts[0], metric: parts[1]) : column
                let got = try #require(recorded[length]?[key], "\(key) at \(length) was not recorded")
                #expect(abs(got - value) < 1e-6, "\(key) at \(length): \(got), HELMET's logic gives \(value)")
            }
            #expect(recorded[length]?.count == row.count)
        }
        #expect(results.warnings.isEmpty, "\(results.warnings)")
        // And against the checked-in golden file, so that a change in the stand-in or the baseline shows.
        let golden = try GoldenCategories.load()
        for length in Self.lengths {
            for category in HELMETScoring.categories.map(\.key) + [HELMETScoring.averageKey] {
                let value = try #require(golden["\(length)"]?[category])
                #expect(abs((recorded[length]?[category] ?? .nan) - value) < 1e-6, "\(category) at \(length)")
            }
        }
    }

    @Test func theGPT4JudgesFileIsPreferredAndRescaled() throws {
        let work = try ScratchDirectory()
        let folder = try HELMETStandIn.evaluate(model: "m", in: work.url, configs: ["longqa", "summ"])
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let judged = try #require(names.first { $0.hasPrefix("narrativeqa_32468") && $0.hasSuffix("-gpt4eval_o.json") })
        let data = try Data(contentsOf: folder.appendingPathComponent(judged))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let averaged = try #require(object["averaged_metrics"] as? [String: Any])
        let raw = try #require(averaged["gpt-4-score"] as? Double)
        let results = try collect(folder)
        #expect(values(results)[32768]?["helmet.narrativeqa.gpt-4-score"] == raw * 100 / 3)
    }

    @Test func withoutTheJudgesFilesLongQAAndSummSayWhatIsMissing() throws {
        let work = try ScratchDirectory()
        let folder = try HELMETStandIn.evaluate(model: "m", in: work.url, configs: ["longqa"], judge: false)
        let results = try collect(folder) { $0.lengths = [32768] }
        let table = values(results)
        #expect(table[32768]?["helmet.narrativeqa.gpt-4-score"] == nil)
        #expect(table[32768]?["helmet.infbench_qa.rougeL_f1"] != nil)
        let name = "narrativeqa_32468_v1__in32768_size100_shots2_sampFalsemax100min0t0.0p1.0_chatTrue_42.json.score"
        #expect(
            results.warnings.contains(
                "\(folder.appendingPathComponent(name).path): no 'gpt-4-score' among its metrics (run HELMET's scripts/eval_gpt4_longqa.py); narrativeqa_32468 at 32768 is not recorded"
            ))
        #expect(
            results.warnings.contains(
                "\(folder.path): LongQA at 32768 averages 2 of 3 results; missing narrativeqa gpt-4-score"))
    }

    @Test func tagsAndSeedsAreSelectedExplicitlyNeverTheLastFileRead() throws {
        let work = try ScratchDirectory()
        let a = try HELMETStandIn.evaluate(model: "m", in: work.url, tag: "v1", seed: 42, configs: ["rerank"])
        try HELMETStandIn.evaluate(model: "m", in: work.url, tag: "v2", seed: 42, configs: ["rerank"])
        try HELMETStandIn.evaluate(model: "m", in: work.url, tag: "v1", seed: 7, configs: ["rerank"])
        let standard = try collect(a)
        let v2 = try collect(a) { $0.tag = "v2" }
        let seven = try collect(a) { $0.seed = 7 }
        let key = "helmet.msmarco_rerank_psg.NDCG@10"
        #expect(standard.files.allSatisfy { $0.contains("_v1_") && $0.hasSuffix("_42.json.score") })
        #expect(v2.files.count == 4 && v2.files.allSatisfy { $0.contains("_v2_") && $0.hasSuffix("_42.json.score") })
        #expect(
            seven.files.count == 4 && seven.files.allSatisfy { $0.contains("_v1_") && $0.hasSuffix("_7.json.score") })
        #expect(values(standard)[65536]?[key] != values(seven)[65536]?[key])
        #expect(
            standard.warnings.contains {
                $0.hasPrefix("\(a.path): 4 file(s) with another tag than 'v1' (set 'tag:' to read them) left out")
            })
        #expect(
            standard.warnings.contains {
                $0.hasPrefix("\(a.path): 4 file(s) with another seed than 42 (set 'seed:' to read them) left out")
            })
        #expect(v2.provenance["tag"] == .string("v2"))
    }

    @Test func aTruncatedFileAndAnUnknownDatasetAreWarningsTheRestIsRecorded() throws {
        let work = try ScratchDirectory()
        let folder = try HELMETStandIn.evaluate(model: "m", in: work.url, configs: ["rag"])
        let name =
            "kilt_nq_v1_nq-dev-multikilt_1000_k440_dep6_in65536_size100_shots2_sampFalsemax20min0t0.0p1.0_chatFalse_42.json"
        let score = folder.appendingPathComponent(name + ".score")
        let text = try Data(contentsOf: score)
        try text.prefix(text.count / 2).write(to: score)
        let unknown = "mystery_task_v1_x_in65536_size100_shots2_sampFalsemax20min0t0.0p1.0_chatFalse_42.json"
        try "{}".write(to: folder.appendingPathComponent(unknown), atomically: true, encoding: .utf8)
        let results = try collect(folder)
        let table = values(results)
        #expect(table[65536]?["helmet.nq.substring_exact_match"] == nil)
        #expect(table[65536]?["helmet.popqa.substring_exact_match"] != nil)
        #expect(table[32768]?["helmet.nq.substring_exact_match"] != nil)
        #expect(results.warnings.contains { $0.hasPrefix("\(score.path): is not complete JSON (truncated at byte ") })
        #expect(
            results.warnings.contains(
                "\(folder.path): 1 file(s) with a dataset HELMET's collect_results.py does not score left out, such as \(unknown)"
            ))
    }

    @Test func aFolderWithoutResultsIsAnErrorNamingIt() throws {
        let work = try ScratchDirectory()
        try "x".write(to: work.url.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        #expect(
            throws: CollectionError.empty(
                work.url.path, expected: "HELMET eval.py result files such as json_kv_v1_..._in32768_..._42.json")
        ) {
            try collect(work.url)
        }
        let missing = work.url.appendingPathComponent("helmet")
        #expect(
            throws: CollectionError.missing(
                missing.path, expected: "HELMET eval.py result files such as json_kv_v1_..._in32768_..._42.json")
        ) {
            try collect(missing)
        }
    }

    @Test func theOlderGPT4F1SpellingIsAccepted() throws {
        let work = try ScratchDirectory()
        let base = "multi_lexsum_32068_v1__in32768_size100_shots2_sampFalsemax400min0t0.0p1.0_chatTrue_42"
        try #"{"averaged_metrics": {"rougeL_f1": 20.0}, "data": [], "args": {}, "metrics": {}}"#.write(
            to: work.url.appendingPathComponent(base + ".json"), atomically: true, encoding: .utf8)
        try #"{"averaged_metrics": {"gpt4-f1": 0.25}, "data": []}"#.write(
            to: work.url.appendingPathComponent(base + "-gpt4eval_o.json"), atomically: true, encoding: .utf8)
        let results = try collect(work.url)
        #expect(values(results)[32768]?["helmet.multi_lexsum.gpt-4-f1"] == 25)
        #expect(values(results)[32768]?["summ"] == 25)
    }
}

/// `Golden/helmet-categories.json`: the categories of the stand-in's `golden-model` as HELMET's logic
/// computes them (written by `scripts/bench/helmet_collect_baseline.py`).
enum GoldenCategories {
    static func load() throws -> [String: [String: Double]] {
        let url = try #require(Bundle.module.url(forResource: "Golden/helmet-categories", withExtension: "json"))
        let data = try Data(contentsOf: url)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Double]])
    }
}
