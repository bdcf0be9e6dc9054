import AblateCore
import Foundation
import GRDB
import Testing

@_spi(Benchmarks) @testable import AblateStore

@Suite struct ResultStoreIngestionTests {
    struct SimulatedCrash: Error {}

    /// A store with the two-stage sweep recorded; returns the store and the first run's eval job key.
    func setUp() throws -> (ResultStore, SweepPlan, String) {
        let store = try ResultStore.inMemory()
        let sweep = try plan(twoStageSpec)
        _ = try store.record(plan: sweep, specPath: nil, revision: nil)
        return (store, sweep, sweep.run(0).jobs[1].hex)
    }

    func count(_ store: ResultStore, _ sql: String) throws -> Int {
        try store.database.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    @Test func tilesSummariseEveryPointAndFollowAReplacedFile() throws {
        let (store, _, job) = try setUp()
        let directory = try TemporaryDirectory()
        let file = directory.path("metrics.jsonl")
        // 5,000 steps, every 97th NaN, ingested in several transactions of the same file.
        var text = ""
        for step in 1...5_000 {
            text += "{\"step\": \(step), \"loss\": \(step % 97 == 0 ? "NaN" : String(Double(step % 311) / 10))}\n"
            if step % 1_700 == 0 {
                try append(text, to: file)
                text = ""
                _ = try store.ingestMetrics(jobKey: job, file: file)
            }
        }
        try append(text, to: file)
        _ = try store.ingestMetrics(jobKey: job, file: file)
        let fromPoints = try store.database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT step / 1024, MIN(value), MAX(value), SUM(step), COUNT(value) FROM metric_points
                    WHERE value IS NOT NULL GROUP BY step / 1024 ORDER BY 1
                    """
            ).map { "\($0[0] as Int) \($0[1] as Double) \($0[2] as Double) \($0[3] as Double) \($0[4] as Int)" }
        }
        let fromTiles = try store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT tile, min_value, max_value, step_sum, count FROM metric_tiles ORDER BY 1")
                .map { "\($0[0] as Int) \($0[1] as Double) \($0[2] as Double) \($0[3] as Double) \($0[4] as Int)" }
        }
        #expect(fromTiles.count == 5)
        #expect(fromTiles == fromPoints)
        #expect(try count(store, "SELECT SUM(count) FROM metric_tiles") == 5_000 - 5_000 / 97)
        // A replaced file replaces the tiles with its own.
        try FileManager.default.removeItem(atPath: file)
        try append("{\"step\": 1, \"loss\": 2}\n", to: file)
        _ = try store.ingestMetrics(jobKey: job, file: file)
        #expect(try count(store, "SELECT SUM(count) FROM metric_tiles") == 1)
    }

    @Test func stepLinesArePointsAndOtherLinesAreFinalValues() throws {
        let (store, sweep, job) = try setUp()
        let directory = try TemporaryDirectory()
        let file = directory.path("metrics.jsonl")
        try append(
            """
            {"step": 0, "loss": 5.5, "lr": 1e-4, "phase": "warmup", "time": 1000.5}
            {"step": 10, "loss": 3.25, "lr": 2e-4}
            {"step": 20, "loss": 2.0, "lr": 1e-4, "nested": {"a": [1, 2]}}
            {"recall": 91.5, "rag": 60}

            """, to: file)
        let report = try store.ingestMetrics(jobKey: job, file: file)
        #expect(report.lines == 4)
        #expect(report.points == 6)
        #expect(report.finals == 2)
        #expect(report.malformed.isEmpty)
        #expect(try count(store, "SELECT COUNT(*) FROM metric_points") == 6)
        let loss = try store.database.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT s.* FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id WHERE k.name = 'loss'")
        }
        #expect(loss?["count"] == 3)
        #expect(loss?["last_step"] == 20)
        #expect(loss?["value"] == 2.0)
        #expect(loss?["min_value"] == 2.0)
        #expect(loss?["max_value"] == 5.5)
        let time = try store.database.read {
            try Double.fetchOne($0, sql: "SELECT time FROM metric_points WHERE step = 0 LIMIT 1")
        }
        #expect(time == 1000.5)
        // The run that uses the eval job sees its values, by key and by stage.key.
        let run = try #require(try store.runs(where: "id = \(sweep.run(0).id.hex)").first)
        #expect(run.metrics["recall"] == 91.5)
        #expect(run.metrics["eval.rag"] == 60)
        #expect(run.metrics["loss"] == 2.0)
    }

    @Test func aPartialLastLineWaitsForItsNewline() throws {
        let (store, _, job) = try setUp()
        let directory = try TemporaryDirectory()
        let file = directory.path("metrics.jsonl")
        try append("{\"step\": 1, \"loss\": 4}\n{\"step\": 2, \"lo", to: file)
        #expect(try store.ingestMetrics(jobKey: job, file: file).points == 1)
        #expect(try store.ingestMetrics(jobKey: job, file: file).points == 0)
        try append("ss\": 3}\n", to: file)
        let report = try store.ingestMetrics(jobKey: job, file: file)
        #expect(report.points == 1)
        #expect(report.lines == 1)
        #expect(try count(store, "SELECT COUNT(*) FROM metric_points") == 2)
        #expect(try count(store, "SELECT lines FROM ingest_cursors") == 2)
    }

    @Test func malformedLinesAreReportedWithTheirLineNumbersAndSkipped() throws {
        let (store, _, job) = try setUp()
        let directory = try TemporaryDirectory()
        let file = directory.path("metrics.jsonl")
        try append(
            """
            {"step": 1, "loss": 4}
            not json at all
            {"step": "ten", "loss": 1}
            {"step": 2, "loss": 3
            [1, 2]
            {"step": -1, "loss": 2}
            {"step": 3, "loss": NaN, "acc": Infinity}

            """, to: file)
        let report = try store.ingestMetrics(jobKey: job, file: file)
        #expect(
            report.malformed.map(\.description) == [
                "\(file):2: malformed metrics line skipped: not a JSON object",
                "\(file):3: malformed metrics line skipped: 'step' must be a number",
                "\(file):4: malformed metrics line skipped: unterminated object",
                "\(file):5: malformed metrics line skipped: not a JSON object",
                "\(file):6: malformed metrics line skipped: 'step' must be a whole number, 0 or more",
            ])
        #expect(report.points == 3)
        #expect(try count(store, "SELECT malformed FROM ingest_cursors") == 5)
        // Line numbers continue across ingestions.
        try append("oops\n", to: file)
        #expect(try store.ingestMetrics(jobKey: job, file: file).malformed.map(\.line) == [8])
    }

    @Test func aCrashBetweenWritingAndCommittingLosesAndRepeatsNothing() throws {
        let (store, _, job) = try setUp()
        let directory = try TemporaryDirectory()
        let file = directory.path("metrics.jsonl")
        var expected = 0
        for batch in 0..<5 {
            var text = ""
            for step in 0..<100 {
                text += "{\"step\": \(batch * 100 + step), \"loss\": \(Double(step) / 10), \"acc\": 0.5}\n"
                expected += 2
            }
            try append(text, to: file)
            // The first attempt of each batch dies just before COMMIT; the retry must add each line once.
            #expect(throws: SimulatedCrash.self) {
                try store.ingestMetrics(jobKey: job, file: file, beforeCommit: { throw SimulatedCrash() })
            }
            try store.ingestMetrics(jobKey: job, file: file)
            #expect(try count(store, "SELECT COUNT(*) FROM metric_points") == expected)
        }
        #expect(try count(store, "SELECT COUNT(DISTINCT step) FROM metric_points") == 500)
        #expect(
            try count(
                store, "SELECT count FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id WHERE k.name = 'acc'"
            ) == 500)
    }

    @Test(arguments: [true, false])
    func aReplacedFileReplacesTheJobsMetrics(shorter: Bool) throws {
        let (store, sweep, job) = try setUp()
        let directory = try TemporaryDirectory()
        let file = directory.path("metrics.jsonl")
        try append("{\"step\": 1, \"loss\": 4}\n{\"step\": 2, \"loss\": 3}\n", to: file)
        try store.ingestMetrics(jobKey: job, file: file)
        // Written to a new file and renamed over the old one: another inode (and maybe shorter).
        let text =
            shorter
            ? "{\"step\": 1, \"loss\": 9}\n" : "{\"step\": 1, \"loss\": 9}\n{\"step\": 5, \"loss\": 8.5}\n{\"x\": 1}\n"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let report = try store.ingestMetrics(jobKey: job, file: file)
        #expect(report.notices.count == 1)
        #expect(report.notices.first?.contains("was replaced") == true)
        #expect(try count(store, "SELECT COUNT(*) FROM metric_points") == (shorter ? 1 : 2))
        let run = try #require(try store.runs(where: "id = \(sweep.run(0).id.hex)").first)
        #expect(run.metrics["loss"] == (shorter ? 9 : 8.5))
        #expect(try store.ingestMetrics(jobKey: job, file: file) == IngestReport())
    }

    @Test func aJobWhoseMetricsNowComeFromAnotherPathGetsThatFilesMetrics() throws {
        let (store, sweep, job) = try setUp()
        let first = try TemporaryDirectory()
        let second = try TemporaryDirectory()
        try append("{\"step\": 100, \"loss\": 4}\n", to: first.path("metrics.jsonl"))
        try store.ingestMetrics(jobKey: job, file: first.path("metrics.jsonl"))
        // The job ran again in another work directory: the same step on line 1 of another file.
        try append("{\"step\": 100, \"loss\": 2}\n{\"step\": 200, \"loss\": 1}\n", to: second.path("metrics.jsonl"))
        let report = try store.ingestMetrics(jobKey: job, file: second.path("metrics.jsonl"))
        #expect(report.points == 2 && report.notices.count == 1)
        #expect(try count(store, "SELECT COUNT(*) FROM metric_points") == 2)
        let run = try #require(try store.runs(where: "id = \(sweep.run(0).id.hex)").first)
        #expect(run.metrics["loss"] == 1)
    }

    @Test func aLineWithADuplicateKeyIsSkippedAndTheLinesAfterItAreIngested() throws {
        let (store, _, job) = try setUp()
        let directory = try TemporaryDirectory()
        let file = directory.path("metrics.jsonl")
        try append(
            "{\"step\": 1, \"loss\": 4}\n{\"step\": 2, \"loss\": 1, \"loss\": 2}\n{\"step\": 3, \"loss\": 2}\n",
            to: file)
        let report = try store.ingestMetrics(jobKey: job, file: file)
        #expect(
            report.malformed.map(\.description) == ["\(file):2: malformed metrics line skipped: duplicate key 'loss'"])
        #expect(report.points == 2 && report.lines == 3)
        try append("{\"step\": 4, \"loss\": 1}\n", to: file)
        #expect(try store.ingestMetrics(jobKey: job, file: file).points == 1)
        #expect(try count(store, "SELECT COUNT(*) FROM metric_points") == 3)
    }

    @Test func aLastLineWithoutANewlineIsIngestedOnceTheJobEnded() throws {
        let (store, _, job) = try setUp()
        let directory = try TemporaryDirectory()
        let file = directory.path("metrics.jsonl")
        try append("{\"step\": 1, \"loss\": 4}\n{\"recall\": 91.5}", to: file)
        #expect(try store.ingestMetrics(jobKey: job, file: file).finals == 0)
        let last = try store.ingestMetrics(jobKey: job, file: file, final: true)
        #expect(last.finals == 1 && last.lines == 1)
        #expect(try store.ingestMetrics(jobKey: job, file: file, final: true) == IngestReport())
    }

    @Test func aLineLongerThanTheReadWindowIsReportedAndIngestionGoesOn() throws {
        let (store, _, job) = try setUp()
        let directory = try TemporaryDirectory()
        let file = directory.path("metrics.jsonl")
        let long =
            "{\"step\": 2, \"note\": \"" + String(repeating: "x", count: ResultStore.ingestChunkBytes + 10) + "\"}\n"
        try append("{\"step\": 1, \"loss\": 4}\n" + long + "{\"step\": 3, \"loss\": 2}\n", to: file)
        let report = try store.ingestMetrics(jobKey: job, file: file)
        #expect(report.points == 2 && report.lines == 3)
        #expect(report.malformed.count == 1)
        #expect(report.malformed.first?.line == 2)
        #expect(
            report.malformed.first?.reason.hasPrefix("the line is \(long.utf8.count) bytes, longer than the 32 MiB")
                == true)
    }

    @Test(arguments: [
        "{\"step\": 1, \"time\": NaN, \"loss\": 1}", "{\"step\": Infinity, \"loss\": 1}", "{\"step\": NaN}",
    ])
    func nonFiniteStepsAndTimesAreReported(line: String) throws {
        let (store, _, job) = try setUp()
        let directory = try TemporaryDirectory()
        let file = directory.path("metrics.jsonl")
        try append(line + "\n{\"step\": 2, \"loss\": 1}\n", to: file)
        let report = try store.ingestMetrics(jobKey: job, file: file)
        #expect(report.malformed.count == 1 && report.points == 1)
    }

    @Test func aMissingFileIngestsNothing() throws {
        let (store, _, job) = try setUp()
        #expect(try store.ingestMetrics(jobKey: job, file: "/nonexistent/metrics.jsonl") == IngestReport())
    }
}
