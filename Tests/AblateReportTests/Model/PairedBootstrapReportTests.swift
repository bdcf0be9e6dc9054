import AblateCore
import AblateStats
import Testing

@testable import AblateReport

/// `significance: {test: paired-bootstrap}` over the per-example scores that collectors keep.
@Suite struct PairedBootstrapReportTests {
    /// Two long-data sources x 2 seeds; `rag` a category of two datasets at two lengths, `hellaswag` one
    /// population. `books` answers 12 more examples of every 100 than `repos`.
    static func context() -> ReportContext {
        var runs: [ReportRun] = []
        var random = SeededRandom(seed: 3)
        for (source, better) in [("repos", 0), ("books", 12)] {
            for seed in 1...2 {
                var run = ReportRun(
                    id: "\(source)-\(seed)", params: ["data": .string(source), "seed": .int(Int64(seed))], metrics: [:])
                for length in [32768, 65536] {
                    var means: [Double] = []
                    for dataset in ["nq", "popqa"] {
                        let scores = (0..<100).map { index -> Double in
                            let base = (index * 37 + length / 1024 + seed) % 100 < 50 ? 100.0 : 0
                            return index < better ? 100 : (random.next() % 10 == 0 ? 100 - base : base)
                        }
                        means.append(scores.reduce(0, +) / 100)
                        run.examples.append(
                            .init(
                                key: "rag", length: length, component: dataset, weight: 0.5,
                                ids: (0..<100).map { "\(dataset)-\($0)" }, scores: scores))
                    }
                    run.lengthMetrics["rag", default: [:]][length] = means.reduce(0, +) / 2
                }
                let hellaswag = (0..<200).map { index -> Double in index % 3 == 0 ? 100 : 0 }
                run.examples.append(
                    .init(key: "hellaswag", length: nil, ids: (0..<200).map(String.init), scores: hellaswag))
                run.metrics["hellaswag"] = hellaswag.reduce(0, +) / 200
                run.metrics["rag"] = run.lengthMetrics["rag"]!.values.reduce(0, +) / 2
                runs.append(run)
            }
        }
        return ReportContext(runs: runs)
    }

    static let yaml = """
        report: paired
        from: {sweep: s}
        rows: {by: data}
        columns:
          - {metric: rag, label: RAG}
          - {metric: hellaswag, label: HellaS.}
          - {mean: [RAG, HellaS.], label: Avg.}
        aggregate: {over: [seed], lengths: [32768, 65536]}
        significance: {baseline: repos, test: paired-bootstrap, correction: none}
        """

    @Test func theCategoryDifferenceIsTestedOverItsExamplesAndTheTieIsNot() throws {
        let table = ReportBuilder(spec: try spec(Self.yaml)).build(Self.context())
        let books = try #require(table.rows.first { $0.label == "books" })
        let rag = try #require(books.cells[0])
        let p = try #require(rag.p)
        #expect(p < 0.05)
        #expect(rag.significant == true)
        // The same examples, the same scores: no difference, p = 1.
        #expect(books.cells[1]?.p == 1)
        #expect(books.cells[1]?.significant == false)
        // A mean column has no examples of its own.
        #expect(books.cells[2]?.p == nil)
        #expect(table.warnings.contains { $0.contains("not tested by the paired bootstrap") && $0.contains("'Avg.'") })
        #expect(
            table.significanceNote?.contains("paired bootstrap over the examples, stratified by dataset and length")
                == true)
    }

    @Test func theStrataPoolSeedsPerExampleAndWeighLengthsEqually() throws {
        let context = Self.context()
        let books = context.runs.filter { $0.id.hasPrefix("books") }
        let repos = context.runs.filter { $0.id.hasPrefix("repos") }
        let strata = ReportBuilder.pairedStrata(key: "rag", lengths: [32768, 65536], books, repos)
        #expect(strata.count == 4)
        #expect(strata.allSatisfy { $0.weight == 0.25 && $0.a.count == 100 })
        let delta = strata.reduce(0) { $0 + $1.weight * zip($1.a, $1.b).map { $0 - $1 }.reduce(0, +) / 100 }
        let cell =
            books.map { $0.value("rag", lengths: nil)! }.reduce(0, +) / 2 - repos.map { $0.value("rag", lengths: nil)! }
            .reduce(0, +) / 2
        #expect(abs(delta - cell) < 1e-9)
        // A length one row lacks: not paired, not tested.
        #expect(ReportBuilder.pairedStrata(key: "rag", lengths: [131072], books, repos).isEmpty)
        #expect(ReportBuilder.pairedStrata(key: "eval.rag", lengths: nil, books, repos).count == 4)
    }
}
