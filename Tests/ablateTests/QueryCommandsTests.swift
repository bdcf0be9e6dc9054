import AblateCore
import AblateStore
import AblateTestSupport
import Foundation
import Testing

/// End-to-end tests of `ablate runs`, `show`, `diff`, `sql` and `plan --db` through the built binary,
/// on a real database file.
@Suite struct QueryCommandsTests {
    static let spec = """
        sweep: lengths
        presets:
          long_data:
            books: book-65536@0.6
            repos: thestackv1_concat_by_repo-65536@0.6
        grid:
          long_data: [books, repos]
          train_length: [65536, 524288]
        stages:
          pretrain: {run: "train {params.long_data} {params.train_length}", uses: [long_data, train_length]}
          eval: {run: "eval {pretrain.output}", after: [pretrain]}

        """

    /// A directory with `sweeps/lengths.yaml` and a database where run i has recall 10 * i and the first
    /// run's jobs succeeded.
    static func setUp() throws -> (directory: URL, plan: SweepPlan) {
        let directory = try AblateProcess.temporaryDirectory()
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("sweeps"), withIntermediateDirectories: true)
        try spec.write(to: directory.appendingPathComponent("sweeps/lengths.yaml"), atomically: true, encoding: .utf8)
        let plan = try SpecLoader.load(yaml: spec, file: "sweeps/lengths.yaml").plan
        let store = try ResultStore(path: directory.appendingPathComponent(".ablate/ablate.db").path)
        let revision = GitRevision(
            path: directory.path, isRepository: true, root: directory.path,
            commit: "89abcdef0123456789abcdef0123456789abcdef", branch: "main", dirty: true, diff: "-a\n+b\n")
        _ = try store.record(plan: plan, specPath: "sweeps/lengths.yaml", revision: revision)
        for index in 0..<plan.runCount {
            let file = directory.appendingPathComponent("m\(index).jsonl").path
            try "{\"step\": 1, \"loss\": \(5 - index)}\n{\"recall\": \(index * 10)}\n".write(
                toFile: file, atomically: true, encoding: .utf8)
            try store.ingestMetrics(jobKey: plan.run(index).jobs[1].hex, file: file)
        }
        for key in plan.run(0).jobs { try store.setState(ofJob: key.hex, to: .succeeded) }
        return (directory, plan)
    }

    @Test func runsListsVaryingParamsAndMetrics() throws {
        let (directory, _) = try Self.setUp()
        let result = try AblateProcess.run(
            ["runs", "--where", "metric.recall >= 10", "--format", "csv"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "id,sweep,status,long_data,train_length,metric.loss,metric.recall")
        #expect(lines.count == 4)
        #expect(lines[1].hasSuffix(",lengths,pending,books,524288,4,10"))
        #expect(lines[3].hasSuffix(",lengths,pending,repos,524288,2,30"))
    }

    @Test func runsWithChosenColumnsAsJSON() throws {
        let (directory, _) = try Self.setUp()
        let result = try AblateProcess.run(
            [
                "runs", "--where", "long_data = books and status = succeeded", "--columns", "long_data,metric.recall",
                "--format", "json",
            ], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                [
                  {
                    "long_data": "books",
                    "metric.recall": 0
                  }
                ]

                """)
    }

    @Test func aBadWhereExpressionPointsAtTheColumn() throws {
        let (directory, _) = try Self.setUp()
        let result = try AblateProcess.run(["runs", "--where", "train_length >= and seed = 1"], in: directory)
        #expect(result.status == 2)
        #expect(
            result.stderr == """
                --where:17: error: expected a value after '>=' but found 'and'
                  train_length >= and seed = 1
                                  ^

                """)
    }

    @Test func showAcceptsAnAbbreviatedIDAndPrintsEverything() throws {
        let (directory, plan) = try Self.setUp()
        let id = plan.run(1).id.hex
        let result = try AblateProcess.run(["show", String(id.prefix(8))], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("run \(id)\n  sweep    lengths\n  status   pending\n"))
        #expect(result.stdout.contains("\nparams:\n  long_data     books  (book-65536@0.6)\n  train_length  524288\n"))
        #expect(result.stdout.contains("job eval \(plan.run(1).jobs[1].short)  new"))
        #expect(result.stdout.contains("    recall  10\n"))
        #expect(
            result.stdout.contains(
                "git (spec): \(directory.path)\n  commit   89abcdef0123456789abcdef0123456789abcdef\n  branch   main\n  dirty    yes"
            ))
        let withDiff = try AblateProcess.run(["show", String(id.prefix(8)), "--diff"], in: directory)
        #expect(withDiff.stdout.hasSuffix("diff (spec):\n-a\n+b\n\n"))
    }

    @Test func showRejectsUnknownIDs() throws {
        let (directory, _) = try Self.setUp()
        let result = try AblateProcess.run(["show", "ffffffffff"], in: directory)
        #expect(result.status == 2)
        #expect(
            result.stderr == "error: no run or job has an ID starting with 'ffffffffff'; 'ablate runs' lists run IDs\n")
    }

    @Test func diffShowsParamsAndMetricsThatDiffer() throws {
        let (directory, plan) = try Self.setUp()
        let result = try AblateProcess.run(["diff", plan.run(0).id.short, plan.run(3).id.short], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("params:\n  long_data: books -> repos\n  train_length: 65536 -> 524288\n"))
        #expect(result.stdout.contains("metrics:\n  loss: 5 -> 2 (-3)\n  recall: 0 -> 30 (+30)\n"))
        #expect(result.stdout.contains("git:\n  (same)"))
    }

    @Test func sqlReadsAndRefusesWrites() throws {
        let (directory, _) = try Self.setUp()
        let read = try AblateProcess.run(
            ["sql", "SELECT name, COUNT(*) AS n FROM run_params GROUP BY name ORDER BY name"], in: directory)
        #expect(read.status == 0)
        #expect(read.stdout == "name          n\n------------  -\nlong_data     4\ntrain_length  4\n")
        let write = try AblateProcess.run(["sql", "DELETE FROM runs"], in: directory)
        #expect(write.status == 2)
        #expect(
            write.stderr
                == "error: 'ablate sql' is read-only and will not run 'DELETE FROM runs'; it would modify the database\n"
        )
        let count = try AblateProcess.run(
            ["sql", "SELECT COUNT(*) AS runs FROM runs", "--format", "csv"], in: directory)
        #expect(count.stdout == "runs\n4\n")
    }

    @Test func csvAndJSONCarryTheStoredNumbersAndOnlyTheTableRounds() throws {
        let (directory, _) = try Self.setUp()
        let query = "SELECT 123456789.123 AS a, 1234.5678 AS b, 1796112738.39 AS t, 0.1 + 0.2 AS s"
        let csv = try AblateProcess.run(["sql", query, "--format", "csv"], in: directory)
        #expect(csv.stdout == "a,b,t,s\n123456789.123,1234.5678,1796112738.39,0.30000000000000004\n")
        let json = try AblateProcess.run(["sql", query, "--format", "json"], in: directory)
        // Compared as text: Foundation's JSON parser on Linux reads 0.30000000000000004 back imprecisely.
        #expect(
            json.stdout
                == "[\n  {\n    \"a\": 123456789.123,\n    \"b\": 1234.5678,\n    \"s\": 0.30000000000000004,\n    \"t\": 1796112738.39\n  }\n]\n"
        )
        let table = try AblateProcess.run(["sql", query], in: directory)
        #expect(table.stdout.contains("123500000  1235  1796000000  0.3"), "\(table.stdout)")
    }

    @Test func anEndlessQueryIsStoppedAtItsTimeLimit() throws {
        let (directory, _) = try Self.setUp()
        let endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n"
        let started = Date()
        let result = try AblateProcess.run(["sql", endless, "--timeout", "0.5"], in: directory)
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: the query ran longer than 0.5 s and was stopped"), "\(result.stderr)")
    }

    @Test func manyRowsStreamAsCSVAndTheTableShowsTheFirstOnes() throws {
        let (directory, _) = try Self.setUp()
        let rows =
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 200000) SELECT i, i * 0.5 AS h FROM n"
        let csv = try AblateProcess.run(["sql", rows, "--format", "csv"], in: directory)
        #expect(csv.status == 0)
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.count == 200_001 && lines[1] == "1,0.5" && lines.last == "200000,100000")
        let table = try AblateProcess.run(["sql", rows, "--max-rows", "5"], in: directory)
        #expect(table.stdout.split(separator: "\n").count == 7)
        #expect(table.stderr.contains("(the first 5 rows; there are more"))
    }

    @Test(arguments: ["-- c", "  ", "/* only a comment */"])
    func aQueryWithNoStatementIsAClearError(query: String) throws {
        let (directory, _) = try Self.setUp()
        let result = try AblateProcess.run(["sql", query], in: directory)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: the query holds no SQL statement"), "\(result.stderr)")
    }

    @Test func diffStatsComparesTwoConfigurationsOverTheirSeeds() throws {
        let directory = try AblateProcess.temporaryDirectory()
        var lines: [String] = []
        for (seed, (a, b)) in zip(1..., [(12.1, 9.0), (10.2, 10.4), (11.7, 8.8), (13.0, nil as Double?)]) {
            lines.append(
                "{\"sweep\": \"s\", \"params\": {\"data\": \"books\", \"seed\": \(seed)}, \"metrics\": {\"recall\": \(a)}}"
            )
            if let b {
                lines.append(
                    "{\"sweep\": \"s\", \"params\": {\"data\": \"code\", \"seed\": \(seed)}, \"metrics\": {\"recall\": \(b)}}"
                )
            }
        }
        try (lines.joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("r.jsonl"), atomically: true, encoding: .utf8)
        #expect(try AblateProcess.run(["import", "r.jsonl"], in: directory).status == 0)
        let ids = try AblateProcess.run(
            ["runs", "--where", "seed = 1", "--columns", "id,data", "--format", "csv"], in: directory
        ).stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        let books = try #require(ids.first { $0[1] == "books" }.map { String($0[0]) })
        let code = try #require(ids.first { $0[1] == "code" }.map { String($0[0]) })
        let result = try AblateProcess.run(["diff", code, books, "--stats"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        // scipy: ttest_ind(books, code, equal_var=False): p = 0.02857, CI [0.367, 4.333].
        #expect(
            result.stdout.contains(
                "stats (3 vs 4 runs; Welch's t-test, 95% intervals):\n  recall: 9.4 -> 11.75 (+2.35, 95% CI [0.3668, 4.333], p = 0.02857) n = 3 vs 4"
            ), "\(result.stdout)")
    }

    @Test func planMarksJobsAlreadyDone() throws {
        let (directory, plan) = try Self.setUp()
        let result = try AblateProcess.run(["plan", "sweeps/lengths.yaml", "--json"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let jobs = try #require(object["jobs"] as? [[String: Any]])
        let done = Set(jobs.filter { $0["state"] as? String == "done" }.compactMap { $0["id"] as? String })
        #expect(done == Set(plan.run(0).jobs.map(\.hex)))
        let text = try AblateProcess.run(["plan", "sweeps/lengths.yaml"], in: directory)
        #expect(text.stdout.hasPrefix("sweep 'lengths': 4 runs, 8 jobs in 2 stages, 2 already done\n"))
    }

    @Test func missingDatabaseIsAClearError() throws {
        let directory = try AblateProcess.temporaryDirectory()
        let result = try AblateProcess.run(["runs"], in: directory)
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "error: no results database at '.ablate/ablate.db'; run 'ablate run SPEC' first, or pass --db PATH (or set ABLATE_DB)\n"
        )
        let env = try AblateProcess.run(["runs"], in: directory, environment: ["ABLATE_DB": "/nonexistent/x.db"])
        #expect(env.stderr.contains("'/nonexistent/x.db'"))
    }
}
