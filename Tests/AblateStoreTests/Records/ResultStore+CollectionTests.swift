import AblateCore
import Foundation
import GRDB
import Testing

@_spi(Benchmarks) @testable import AblateStore

@Suite struct ResultStoreCollectionTests {
    struct SimulatedCrash: Error {}

    let helmet = JobCollector(kind: .helmet, path: "helmet")

    func setUp() throws -> (ResultStore, SweepPlan, String) {
        let store = try ResultStore.inMemory()
        let sweep = try plan(twoStageSpec)
        _ = try store.record(plan: sweep, specPath: nil, revision: nil)
        return (store, sweep, sweep.run(0).jobs[1].hex)
    }

    func results(rag32: Double, rag64: Double) -> CollectedResults {
        var results = CollectedResults()
        results.values = [
            .init(key: "rag", length: 32768, value: rag32), .init(key: "rag", length: 65536, value: rag64),
            .init(key: "helmet.nq.substring_exact_match", length: 32768, value: 50),
            .init(key: "hellaswag", value: 80),
        ]
        results.points = [.init(key: "loss", step: 1, value: 2), .init(key: "loss", step: 2, value: 1.5)]
        results.examples = [.init(key: "hellaswag", length: nil, ids: ["0", "1"], scores: [100, 0])]
        results.warnings = ["one warning"]
        results.provenance = ["tag": .string("v1")]
        return results
    }

    func count(_ store: ResultStore, _ sql: String) throws -> Int {
        try store.database.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    @Test func collectedValuesReachTheRunsPerLengthAndAsTheirMean() throws {
        let (store, sweep, job) = try setUp()
        let summary = try store.recordCollection(
            jobKey: job, collector: helmet, results: results(rag32: 40, rag64: 60), fingerprint: "f1")
        #expect(summary.values == 4)
        #expect(summary.points == 2)
        #expect(summary.examples == 1)
        let run = try #require(try store.runs(where: "id = \(sweep.run(0).id.hex)").first)
        #expect(run.lengthMetrics["rag"] == [32768: 40, 65536: 60])
        #expect(run.lengthMetrics["eval.rag"] == [32768: 40, 65536: 60])
        #expect(run.metrics["rag"] == 50)
        #expect(run.metrics["hellaswag"] == 80)
        #expect(try store.runs(where: "metric.rag@65536 > 55").map(\.id) == [sweep.run(0).id.hex])
        #expect(try store.runs(where: "metric.rag@32768 > 55").isEmpty)
        #expect(try store.collectionFingerprint(jobKey: job, collector: "helmet:helmet") == "f1")
        let records = try store.collections(ofJob: job)
        #expect(records.map(\.collector) == ["helmet:helmet"])
        #expect(records.first?.warnings == ["one warning"])
        #expect(records.first?.provenance == ["tag": .string("v1")])
    }

    /// A run's loss curve is its earliest training's, unless a stage is preferred (the training a sweep
    /// fans out over, after a shared base model that also logged a loss); without that stage's points it
    /// falls back to the earliest.
    @Test func lossCurvesPreferTheGivenStage() throws {
        let (store, sweep, _) = try setUp()
        let run = sweep.run(0)
        let trainer = JobCollector(kind: .hfTrainer, path: ".")
        var first = CollectedResults()
        first.points = [.init(key: "loss", step: 1, value: 9), .init(key: "loss", step: 2, value: 8)]
        var second = CollectedResults()
        second.points = [.init(key: "loss", step: 10, value: 3), .init(key: "loss", step: 20, value: 2)]
        _ = try store.recordCollection(jobKey: run.jobs[0].hex, collector: trainer, results: first, fingerprint: "a")
        _ = try store.recordCollection(jobKey: run.jobs[1].hex, collector: trainer, results: second, fingerprint: "b")
        let id = run.id.hex
        #expect(try store.lossCurves(runIDs: [id])[id]?.map(\.step) == [1, 2])
        #expect(try store.lossCurves(runIDs: [id], stage: "eval")[id]?.map(\.value) == [3, 2])
        #expect(try store.lossCurves(runIDs: [id], stage: "nope")[id]?.map(\.value) == [9, 8])
    }

    @Test func collectingAgainReplacesAndACrashBeforeTheCommitLeavesTheOldValues() throws {
        let (store, sweep, job) = try setUp()
        try store.recordCollection(
            jobKey: job, collector: helmet, results: results(rag32: 40, rag64: 60), fingerprint: "f1")
        #expect(throws: SimulatedCrash.self) {
            try store.recordCollection(
                jobKey: job, collector: helmet, results: results(rag32: 10, rag64: 20), fingerprint: "f2",
                beforeCommit: { throw SimulatedCrash() })
        }
        var run = try #require(try store.runs(where: "id = \(sweep.run(0).id.hex)").first)
        #expect(run.metrics["rag"] == 50)
        #expect(try store.collectionFingerprint(jobKey: job, collector: "helmet:helmet") == "f1")
        try store.recordCollection(
            jobKey: job, collector: helmet, results: results(rag32: 10, rag64: 20), fingerprint: "f2")
        try store.recordCollection(
            jobKey: job, collector: helmet, results: results(rag32: 10, rag64: 20), fingerprint: "f2")
        run = try #require(try store.runs(where: "id = \(sweep.run(0).id.hex)").first)
        #expect(run.metrics["rag"] == 15)
        #expect(try count(store, "SELECT COUNT(*) FROM job_values") == 4)
        #expect(try count(store, "SELECT COUNT(*) FROM collected_points") == 2)
        #expect(try count(store, "SELECT COUNT(*) FROM collected_examples") == 1)
        #expect(try count(store, "SELECT COUNT(*) FROM run_metrics WHERE key = 'rag'") == 2)  // one run, two lengths
    }

    @Test func aCollectedValueWinsOverAMetricsLineAndSurvivesAReplacedMetricsFile() throws {
        let (store, sweep, job) = try setUp()
        let directory = try TemporaryDirectory()
        let file = directory.path("metrics.jsonl")
        try append("{\"hellaswag\": 10, \"recall\": 5}\n", to: file)
        try store.ingestMetrics(jobKey: job, file: file)
        try store.recordCollection(
            jobKey: job, collector: helmet, results: results(rag32: 40, rag64: 60), fingerprint: "f")
        try append("{\"hellaswag\": 20}\n", to: file)
        try store.ingestMetrics(jobKey: job, file: file)
        var run = try #require(try store.runs(where: "id = \(sweep.run(0).id.hex)").first)
        #expect(run.metrics["hellaswag"] == 80)
        #expect(run.metrics["recall"] == 5)
        // The metrics file is replaced: its values are read again, the collected ones stay.
        try FileManager.default.removeItem(atPath: file)
        try append("{\"recall\": 7}\n", to: file)
        try store.ingestMetrics(jobKey: job, file: file)
        run = try #require(try store.runs(where: "id = \(sweep.run(0).id.hex)").first)
        #expect(run.metrics["recall"] == 7)
        #expect(run.metrics["rag"] == 50)
    }

    @Test func aSweepThatReusesACollectedJobSeesItsValues() throws {
        let (store, _, job) = try setUp()
        try store.recordCollection(
            jobKey: job, collector: helmet, results: results(rag32: 40, rag64: 60), fingerprint: "f")
        let other = try plan(twoStageSpec.replacingOccurrences(of: "sweep: lengths", with: "sweep: again"))
        _ = try store.record(plan: other, specPath: nil, revision: nil)
        let run = try #require(try store.runs(where: "sweep = again and id = \(other.run(0).id.hex)").first)
        #expect(run.lengthMetrics["rag"] == [32768: 40, 65536: 60])
    }

    @Test func theStagesCollectorsAreRecordedWithEachJobOutsideItsKey() throws {
        let store = try ResultStore.inMemory()
        let spec = twoStageSpec.replacingOccurrences(
            of: "eval: {run: \"eval {pretrain.output} {params.seed}\", uses: [seed], after: [pretrain]}",
            with:
                "eval: {run: \"eval {pretrain.output} {params.seed}\", uses: [seed], after: [pretrain], collect: [{helmet: out/}]}"
        )
        let first = try plan(spec)
        _ = try store.record(plan: first, specPath: nil, revision: nil)
        let jobs = try store.collectableJobs()
        #expect(jobs.count == 8)
        #expect(jobs.allSatisfy { $0.collectors == [JobCollector(kind: .helmet, path: "out")] })
        let changed = try plan(spec.replacingOccurrences(of: "{helmet: out/}", with: "{helmet: out/, tag: v2}"))
        #expect(changed.run(0).jobs == first.run(0).jobs)
        _ = try store.record(plan: changed, specPath: nil, revision: nil)
        #expect(try store.collectableJobs().allSatisfy { $0.collectors.first?.tag == "v2" })
    }
}
