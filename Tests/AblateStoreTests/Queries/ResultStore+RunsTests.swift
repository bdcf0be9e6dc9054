import AblateCore
import Foundation
import Testing

@_spi(Benchmarks) @testable import AblateStore

/// Every query operator against a real recorded sweep.
@Suite struct ResultStoreRunsTests {
    static func setUp() throws -> ResultStore {
        let store = try ResultStore.inMemory()
        let sweep = try plan(twoStageSpec)
        let revision = GitRevision(
            path: "/code", isRepository: true, root: "/code",
            commit: "0123456789abcdef0123456789abcdef01234567", branch: "main", dirty: true, diff: "+x\n")
        _ = try store.record(plan: sweep, specPath: nil, revision: revision)
        // recall = 10 * run index, on each run's eval job.
        for index in 0..<sweep.runCount {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("q-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appendingPathComponent("metrics.jsonl").path
            try append("{\"recall\": \(index * 10)}\n", to: file)
            try store.ingestMetrics(jobKey: sweep.run(index).jobs[1].hex, file: file)
        }
        try store.setState(ofJob: sweep.run(0).jobs[0].hex, to: .succeeded)
        try store.setState(ofJob: sweep.run(0).jobs[1].hex, to: .succeeded)
        let other = twoStageSpec.replacingOccurrences(of: "sweep: lengths", with: "sweep: other")
            .replacingOccurrences(of: "seed: [1, 2]", with: "seed: [7]")
        _ = try store.record(plan: try plan(other), specPath: nil, revision: nil)
        return store
    }

    // Runs of sweep `lengths` are, in order: books/65536/1, books/65536/2, books/524288/1, books/524288/2,
    // repos/65536/1, repos/65536/2, repos/524288/1, repos/524288/2 with recall 0, 10, ..., 70; sweep
    // `other` has 4 runs (seed 7) without metrics or git revision.

    @Test(arguments: [
        ("train_length = 65536", 6),
        ("train_length == 65536 and sweep = lengths", 4),
        ("train_length != 65536", 6),
        ("train_length > 65536", 6),
        ("train_length >= 524288", 6),
        ("train_length < 524288", 6),
        ("train_length <= 65536", 6),
        ("seed in (1, 7)", 8),
        ("seed not in (1, 7)", 4),
        ("long_data = books", 6),
        ("long_data = 'book-65536@0.6'", 6),
        ("long_data != books", 6),
        ("long_data in (books, repos) and seed = 2", 4),
        ("metric.recall > 40", 3),
        ("metric.recall >= 40 and metric.recall < 60", 2),
        ("metric.eval.recall = 70", 1),
        ("not metric.recall > 10", 6),
        ("(seed = 1 or seed = 7) and train_length = 65536", 4),
        ("status = succeeded", 1),
        ("status = pending", 11),
        ("sweep = other", 4),
        ("git.commit = 0123456", 8),
        ("git.commit != 0123456", 4),
        ("git.dirty = true", 8),
        ("git.branch = main", 8),
        ("lr = 1e-5", 12),
        ("lr = 0.00001", 12),
        ("nonexistent = 1", 0),
    ])
    func filters(expression: String, expected: Int) throws {
        let store = try Self.setUp()
        #expect(try store.runs(where: expression).count == expected, "\(expression)")
        // The same answer when every exact condition is intersected as an ID set instead of probed.
        let intersected = try store.runs(
            sweep: nil, where: expression, limit: nil, includeRetired: false, probeThreshold: 0)
        #expect(intersected.count == expected, "\(expression) (intersected)")
    }

    @Test func resultsCarryParamsLabelsAndMetricsInSpecOrder() throws {
        let store = try Self.setUp()
        let runs = try store.runs(sweep: "lengths", where: "metric.recall = 30")
        let run = try #require(runs.first)
        #expect(runs.count == 1)
        #expect(run.paramOrder == ["lr", "long_data", "train_length", "seed"])
        #expect(run.display(param: "long_data") == "books")
        #expect(run.params["train_length"] == .int(524288))
        #expect(run.metrics["recall"] == 30)
    }

    @Test func idsResolveByUniquePrefix() throws {
        let store = try Self.setUp()
        let run = try #require(try store.runs(sweep: "lengths").first)
        #expect(try store.resolve(id: String(run.id.prefix(10))) == .run(run.id))
        #expect(throws: StoreError.unknownID("zz")) { try store.resolve(id: "zz") }
        #expect(throws: StoreError.self) { try store.resolve(id: "") }
    }

    @Test func sqlIsReadOnly() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("a.db")
        _ = try ResultStore(path: path)
        let store = try ResultStore.openReadOnly(path: path)
        #expect(try store.query(sql: "SELECT COUNT(*) AS n FROM runs").columns == ["n"])
        #expect(throws: StoreError.writeRefused("DELETE FROM runs")) { try store.query(sql: "DELETE FROM runs") }
        #expect(throws: StoreError.writeRefused("PRAGMA user_version = 3")) {
            try store.query(sql: "PRAGMA user_version = 3")
        }
        #expect(throws: StoreError.sqlFailed("SELECT nope FROM runs", reason: "no such column: nope")) {
            try store.query(sql: "SELECT nope FROM runs")
        }
    }

    @Test func detailHasJobsMetricsAndRevisions() throws {
        let store = try Self.setUp()
        let run = try #require(try store.runs(sweep: "lengths").first)
        let detail = try store.runDetail(id: run.id)
        #expect(detail.jobs.map(\.stage) == ["pretrain", "eval"])
        #expect(detail.jobs[1].metrics.map(\.key) == ["recall"])
        #expect(detail.revisions.map(\.role) == ["spec"])
        #expect(detail.revisions[0].revision.diff == "+x\n")
        #expect(detail.revisions[0].revision.branch == "main")
    }

    /// Long flat expressions compile to flat SQL that SQLite's parser takes, however many terms.
    @Test func longExpressionsStayWithinSQLitesLimits() throws {
        let store = try Self.setUp()
        let ors = (0..<80).map { "seed = \($0 + 100)" }.joined(separator: " or ") + " or seed = 1"
        #expect(try store.runs(where: ors).count == 4)
        let values = (0..<250).map { "\($0 + 100)" }.joined(separator: ", ")
        #expect(try store.runs(where: "seed in (\(values), 1)").count == 4)
        #expect(try store.runs(where: "metric.recall in (\(values), 10, 20)").count == 2)
        let words = (0..<600).map { "w\($0)" }.joined(separator: ", ")
        #expect(try store.runs(where: "long_data in (\(words), books)").count == 6)
        let nots = String(repeating: "not ", count: 40) + "seed = 1"
        #expect(try store.runs(where: nots).count == 4)
        #expect(try store.runs(where: "not " + nots).count == 8)
        let ands = (0..<200).map { _ in "seed < 100" }.joined(separator: " and ")
        #expect(try store.runs(where: ands).count == 12)
        let nested = String(repeating: "(seed = 1 or ", count: 31) + "seed = 2" + String(repeating: ")", count: 31)
        #expect(try store.runs(where: nested).count == 8)
    }
}
