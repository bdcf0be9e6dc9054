import AblateTestSupport
import Foundation
import Testing

/// End-to-end tests of `ablate plan` through the built binary.
@Suite struct PlanCommandTests {
    static let exampleSweeps: [String] = {
        let directory = AblateProcess.packageRoot.appendingPathComponent("sweeps")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.sorted().map { "sweeps/\($0)" }
    }()

    @Test func thereAreExampleSweeps() {
        #expect(Self.exampleSweeps.count >= 8)
    }

    /// What the paper sweeps say must exist before they run: a ProLong checkout with its data (and the
    /// SFT data packed by hand), a HELMET checkout, an OpenAI key.
    static let paperEnvironment: [String: String] = {
        let directory = try! AblateProcess.temporaryDirectory()
        let prolong = try! ProLongStandIn.checkout(in: directory, extra: ProLongStandIn.handPacked)
        return [
            "PROLONG_DIR": prolong.path, "HELMET_DIR": HELMETStandIn.directory.path, "OPENAI_API_KEY": "stand-in",
        ]
    }()

    @Test(arguments: exampleSweeps)
    func everyExampleSweepPlans(path: String) throws {
        let result = try AblateProcess.run(["plan", path], environment: Self.paperEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("sweep '"))
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")
    }

    @Test func invalidSpecExitsTwoAndListsEveryProblemWithTheLine() throws {
        let directory = try AblateProcess.temporaryDirectory()
        let spec = directory.appendingPathComponent("bad.yaml")
        try """
        sweep: ok
        stagse: {}
        grid: {seed: [1, 2]}
        stages:
          pretrain: {run: "train {params.seed}", uses: [sed]}

        """.write(to: spec, atomically: true, encoding: .utf8)
        let result = try AblateProcess.run(["plan", "bad.yaml"], in: directory)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(
            result.stderr == """
                bad.yaml:2:1: error: unknown key 'stagse'; did you mean 'stages'?
                stagse: {}
                ^
                bad.yaml:5:19: error: placeholder '{params.seed}' names 'seed', which stage 'pretrain' does not use; add 'seed' to its 'uses'
                  pretrain: {run: "train {params.seed}", uses: [sed]}
                                  ^
                bad.yaml:5:49: error: stage 'pretrain' uses unknown parameter 'sed'; did you mean 'seed'?
                  pretrain: {run: "train {params.seed}", uses: [sed]}
                                                                ^
                3 errors; nothing was run

                """)
    }

    @Test func runWithAnInvalidSpecCreatesNoDatabaseOrWorkDirectory() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try "sweep: bad\ngrid: {seed: 1}\nstages:\n  s: {run: echo}\n".write(
            to: directory.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let result = try AblateProcess.run(["run", "bad.yaml", "--db", "r.db", "--workdir", "w"], in: directory)
        #expect(result.status == 2)
        #expect(
            result.stderr.hasPrefix(
                "bad.yaml:2:14: error: grid axis 'seed' must be a list of values, not a number; "
                    + "write [value] for a single value\n"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["bad.yaml"])
    }

    @Test func aPlaceholderWhereNoQuotingIsSafeIsRefusedWithWhatToWrite() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try """
        sweep: q
        grid: {x: [a]}
        stages:
          s: {uses: [x], run: "echo `cat {params.x}`"}

        """.write(to: directory.appendingPathComponent("q.yaml"), atomically: true, encoding: .utf8)
        let result = try AblateProcess.run(["plan", "q.yaml"], in: directory)
        #expect(result.status == 2)
        #expect(
            result.stderr.hasPrefix(
                "q.yaml:4:23: error: placeholder '{params.x}' in stage 's' is not valid: it stands inside backticks, "
                    + "where the shell processes backslashes again; write $(...) instead of `...`\n"),
            "\(result.stderr)")
    }

    @Test func missingFileIsAClearError() throws {
        let result = try AblateProcess.run(["plan", "sweeps/nope.yaml"])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "error: no such file 'sweeps/nope.yaml'; check the path (sweep specs usually live in 'sweeps/')\n")
    }

    /// A directory holding `s.yaml`: two long-data sources x two SFT sets, with shared pretrain jobs.
    static func sharedSweepDirectory() throws -> URL {
        let directory = try AblateProcess.temporaryDirectory()
        try """
        sweep: shared
        grid:
          long_data: [books, code]
          sft_data: [ultrachat, tulu]
        stages:
          pretrain: {run: "train {params.long_data}", uses: [long_data]}
          sft: {run: "sft {pretrain.output} {params.sft_data}", uses: [sft_data], after: [pretrain]}

        """.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test func jsonListsRunsAndJobsWithSharedUpstreams() throws {
        let directory = try Self.sharedSweepDirectory()
        let result = try AblateProcess.run(["plan", "s.yaml", "--json"], in: directory)
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["sweep"] as? String == "shared")
        let runs = try #require(object["runs"] as? [[String: Any]])
        let jobs = try #require(object["jobs"] as? [[String: Any]])
        #expect(runs.count == 4)
        #expect(jobs.count == 6)
        #expect(jobs.map { $0["state"] as? String } == Array(repeating: "new", count: 6))
        let pretrain = jobs.filter { $0["stage"] as? String == "pretrain" }
        #expect(pretrain.map { $0["runs"] as? Int } == [2, 2])
        let sft = jobs.filter { $0["stage"] as? String == "sft" }
        let pretrainIDs = Set(pretrain.compactMap { $0["id"] as? String })
        for job in sft {
            let after = try #require(job["after"] as? [String])
            #expect(after.count == 1 && pretrainIDs.contains(after[0]))
        }
        let firstRun = try #require(runs.first)
        #expect((firstRun["params"] as? [String: String]) == ["long_data": "books", "sft_data": "ultrachat"])
        #expect((firstRun["jobs"] as? [String])?.count == 2)
    }

    @Test func textSummaryShowsSharedJobs() throws {
        let directory = try Self.sharedSweepDirectory()
        let result = try AblateProcess.run(["plan", "s.yaml"], in: directory)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).prefix(4)
        #expect(
            Array(lines) == [
                "sweep 'shared': 4 runs, 6 jobs in 2 stages",
                "  pretrain  2 jobs, 2 shared (up to 2 runs each)",
                "  sft       4 jobs",
                "",
            ])
    }
}

/// The example report specs are valid.
@Suite struct ExampleReportTests {
    static let reports: [String] = {
        let directory = AblateProcess.packageRoot.appendingPathComponent("reports")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.sorted().map { "reports/\($0)" }
    }()

    @Test(arguments: reports)
    func everyExampleReportParses(path: String) throws {
        let directory = try AblateProcess.temporaryDirectory()
        // No database: the spec is parsed first, so reaching the missing-database error means it is valid.
        let result = try AblateProcess.run(
            [
                "report", AblateProcess.packageRoot.appendingPathComponent(path).path, "--db",
                directory.appendingPathComponent("empty.db").path,
            ])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: no results database"), "\(result.stderr)")
    }

    @Test func everySweepHasAReport() {
        #expect(Self.reports.count == PlanCommandTests.exampleSweeps.count)
    }

    /// The ablations of docs/mini-prolong.md run the demo's stages, so the runs both sweeps have are the
    /// same jobs: the base model and the books + code repos training at 1,024 with seed 1.
    @Test func theMiniAblationsShareTheDemosStagesAndJobs() throws {
        let root = AblateProcess.packageRoot
        func stages(_ name: String) throws -> Substring {
            let text = try String(contentsOf: root.appendingPathComponent("sweeps/\(name).yaml"), encoding: .utf8)
            return text[try #require(text.range(of: "\nstages:\n")).lowerBound...]
        }
        #expect(try stages("mini-prolong-ablations") == stages("mini-prolong"))
        func jobs(_ name: String) throws -> Set<String> {
            let result = try AblateProcess.run(["plan", "sweeps/\(name).yaml", "--json"], in: root)
            #expect(result.status == 0, "\(result.stderr)")
            let plan = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let list = try #require(plan?["jobs"] as? [[String: Any]])
            return Set(list.compactMap { job in (job["stage"] as? String).flatMap { "\($0) \(job["id"] ?? "")" } })
        }
        let shared = try jobs("mini-prolong").intersection(jobs("mini-prolong-ablations"))
        #expect(
            Dictionary(grouping: shared, by: { $0.split(separator: " ")[0] }).mapValues(\.count) == [
                "base": 1, "pretrain": 1, "base_eval": 3, "sft": 3, "eval": 3,
            ])
    }
}
