import AblateKit
import AblateStore
import AblateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `ablate du`, `ablate gc`, the compute ledger and the forecast, through the built `ablate` over job
/// directories of known sizes.
@Suite(.serialized) struct HousekeepingCommandTests {
    /// Two sweeps sharing their `pretrain` job (same stage, command and values): each training writes
    /// checkpoint-1..3 of 1,000 bytes each and a 500-byte model; each eval a 7-byte result.
    static let specs = [
        "a": """
        sweep: a
        grid: {data: [x]}
        stages:
          pretrain:
            uses: [data]
            run: >-
              cd {output} && for s in 1 2 3; do mkdir -p checkpoint-$s && head -c 1000 /dev/zero > checkpoint-$s/w.bin;
              done && head -c 500 /dev/zero > model.bin
          eval:
            after: [pretrain]
            run: printf 'result\\n' > {output}/r.txt
        """,
        "b": """
        sweep: b
        grid: {data: [x, y]}
        stages:
          pretrain:
            uses: [data]
            run: >-
              cd {output} && for s in 1 2 3; do mkdir -p checkpoint-$s && head -c 1000 /dev/zero > checkpoint-$s/w.bin;
              done && head -c 500 /dev/zero > model.bin
        """,
    ]

    static func workspace() throws -> URL {
        let directory = try AblateProcess.temporaryDirectory()
        for (name, spec) in specs {
            try spec.write(to: directory.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
            let run = try AblateProcess.run(["run", "\(name).yaml"], in: directory)
            #expect(run.status == 0, "\(run.stdout)")
        }
        return directory
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The bytes of a job's own files, without Ablate's `.ablate/` (logs, attempts).
    static func control(_ directory: URL) throws -> UInt64 {
        var walker = DirectorySize()
        var total: UInt64 = 0
        let jobs = directory.appendingPathComponent(".ablate/jobs")
        for stage in try FileManager.default.contentsOfDirectory(atPath: jobs.path) {
            for job in try FileManager.default.contentsOfDirectory(atPath: jobs.appendingPathComponent(stage).path) {
                total += walker.size(of: jobs.path + "/\(stage)/\(job)/.ablate").bytes
            }
        }
        return total
    }

    @Test func duCountsEveryJobDirectoryOnceAndSharedJobsInEachSweep() throws {
        let directory = try Self.workspace()
        // A hard link counts once, a symbolic link not at all.
        let pretrain = try AblateProcess.run(
            ["sql", "SELECT output_dir FROM jobs WHERE stage = 'pretrain' ORDER BY key", "--format", "csv"],
            in: directory
        ).stdout.split(separator: "\n").dropFirst().map(String.init)
        #expect(pretrain.count == 2)
        link(pretrain[0] + "/model.bin", pretrain[0] + "/model-link.bin")
        symlink(pretrain[1] + "/model.bin", pretrain[0] + "/elsewhere.bin")
        let control = try Self.control(directory)
        let total = try Self.json(try AblateProcess.run(["du", "--json"], in: directory).stdout)
        // 2 trainings x 3,500 bytes, 1 eval x 7 bytes, plus Ablate's own files.
        #expect(total["bytes"] as? UInt64 == 7_007 + control, "\(total)")
        #expect(total["jobs"] as? Int == 3)
        let bySweep = try Self.json(try AblateProcess.run(["du", "--by", "sweep", "--json"], in: directory).stdout)
        let entries = try #require(bySweep["entries"] as? [[String: Any]])
        let bytes = Dictionary(uniqueKeysWithValues: entries.map { ($0["sweep"] as! String, $0["bytes"] as! UInt64) })
        #expect(bytes.values.reduce(0, +) > bySweep["bytes"] as! UInt64, "the shared training counts in a and b")
        #expect(entries.first { $0["sweep"] as? String == "a" }?["jobs"] as? Int == 2)
        #expect(entries.first { $0["sweep"] as? String == "b" }?["jobs"] as? Int == 2)
        let text = try AblateProcess.run(["du", "a"], in: directory).stdout
        #expect(text.contains("total: 2 job director(ies)"), "\(text)")
    }

    @Test func gcDryRunListsExactlyThePoliciesDeletionsAndApplyDeletesOnlyThose() throws {
        let directory = try Self.workspace()
        // a's training has a downstream job (eval, succeeded): checkpoints 1 and 2 go, 3 stays (--keep-last 1).
        // b's training y has no downstream job: likewise. b's x is a's training (shared).
        let dry = try Self.json(try AblateProcess.run(["gc", "--json"], in: directory).stdout)
        let paths = try #require(dry["deletions"] as? [[String: Any]]).map { ($0["path"] as! String) }
        #expect(paths.count == 4 && paths.allSatisfy { $0.hasSuffix("/checkpoint-1") || $0.hasSuffix("/checkpoint-2") })
        #expect(dry["bytes"] as? Int == 4_000)
        #expect(dry["applied"] as? Bool == false)
        #expect(FileManager.default.fileExists(atPath: paths[0]), "a dry run deletes nothing")

        // Dropping b: its training y is used by no kept sweep; x stays (a uses it).
        let dropped = try Self.json(try AblateProcess.run(["gc", "--drop", "b", "--json"], in: directory).stdout)
        let outputs = try #require(dropped["deletions"] as? [[String: Any]]).filter {
            $0["what"] as? String == "output"
        }
        #expect(outputs.count == 1)
        #expect(outputs.first?["bytes"] as? Int == 3_500)

        let applied = try AblateProcess.run(["gc", "--apply"], in: directory)
        #expect(applied.status == 0, "\(applied.stderr)")
        for path in paths where !path.contains(outputs[0]["job"] as! String) {
            #expect(!FileManager.default.fileExists(atPath: path))
        }
        let output = outputs[0]["path"] as! String
        #expect(try FileManager.default.contentsOfDirectory(atPath: output) == [".ablate"], "its logs stay")
        let states = try AblateProcess.run(
            ["sql", "SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state", "--format", "csv"], in: directory
        ).stdout
        #expect(states == "state,COUNT(*)\nnew,1\nsucceeded,2\n", "the deleted output's job runs again if needed")
        let plan = try AblateProcess.run(["plan", "b.yaml"], in: directory).stdout
        #expect(plan.contains("2 jobs in 1 stages, 1 already done") || plan.contains("1 already done"), "\(plan)")
        let again = try Self.json(try AblateProcess.run(["gc", "--json"], in: directory).stdout)
        #expect((again["deletions"] as? [Any])?.isEmpty == true, "nothing twice")
    }

    @Test func gcNeverTouchesARunningJobOrOneWhoseDownstreamIsNotFinal() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try """
        sweep: busy
        stages:
          pretrain:
            run: cd {output} && for s in 1 2 3; do mkdir -p checkpoint-$s && echo x > checkpoint-$s/w; done && sleep 30
        """.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = AblateProcess.binary
        process.arguments = ["run", "s.yaml"]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
        }
        var state = ""
        for _ in 0..<50 where state != "running" {
            usleep(100_000)
            state =
                (try? AblateProcess.run(["sql", "SELECT state FROM jobs", "--format", "csv"], in: directory).stdout)?
                .split(separator: "\n").last.map(String.init) ?? ""
        }
        #expect(state == "running")
        let dry = try Self.json(try AblateProcess.run(["gc", "--drop", "busy", "--json"], in: directory).stdout)
        #expect((dry["deletions"] as? [Any])?.isEmpty == true, "\(dry)")
        let alone = try #require(dry["left_alone"] as? [[String: Any]])
        #expect(alone.first?["reason"] as? String == "it is running")
    }

    @Test func gcLeavesAJobWhoseDownstreamIsNotFinalAlone() throws {
        let directory = try Self.workspace()
        // A later version of sweep b adds an evaluation of each training, recorded but not run yet.
        let spec = Self.specs["b"]! + "\n  eval:\n    after: [pretrain]\n    run: echo later\n"
        let plan = try SpecLoader.load(yaml: spec, file: "b.yaml").plan
        let store = try ResultStore(path: directory.appendingPathComponent(".ablate/ablate.db").path)
        _ = try store.record(plan: plan, specPath: "b.yaml", revision: nil)
        let dry = try Self.json(try AblateProcess.run(["gc", "--json"], in: directory).stdout)
        let deleted = try #require(dry["deletions"] as? [[String: Any]]).map { $0["job"] as! String }
        let alone = try #require(dry["left_alone"] as? [[String: Any]])
        #expect(deleted.isEmpty, "both trainings now have a downstream job not run yet: \(deleted)")
        #expect(
            alone.count == 2 && alone.allSatisfy { $0["reason"] as? String == "its downstream jobs are not all final" })
    }

    @Test func aGcKilledMidwayLeavesNoJobLookingIntact() throws {
        let directory = try Self.workspace()
        let store = try ResultStore(path: directory.appendingPathComponent(".ablate/ablate.db").path)
        try store.setKept(false, sweep: "b")
        let plan = try GarbageCollector.plan(store: store)
        let output = try #require(plan.deletions.first { $0.what == "output" })
        // Killed after recording the deletion and removing one file, before the rest.
        _ = try store.beginDeletion(jobKey: output.jobKey, path: output.path, what: output.what, bytes: output.bytes)
        try FileManager.default.removeItem(atPath: output.path + "/model.bin")
        let state = try AblateProcess.run(
            ["sql", "SELECT state, reason FROM jobs WHERE key = '\(output.jobKey)'", "--format", "csv"], in: directory
        ).stdout
        #expect(state.contains("new,its output was deleted by 'ablate gc'"), "\(state)")
        let next = try AblateProcess.run(["gc", "--apply"], in: directory)
        #expect(
            next.stderr.contains("finished deleting \(output.path) (an earlier gc stopped midway)"), "\(next.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == [".ablate"])
    }

    @Test func theLedgerIsResourcesTimesElapsedAndTheForecastIsNearTheMeasuredTime() throws {
        let directory = try AblateProcess.temporaryDirectory()
        let spec = { (name: String, seed: Int) in
            """
            sweep: \(name)
            params: {seed: \(seed)}
            stages:
              a: {uses: [seed], resources: {cpus: 2, gpus: 1}, run: sleep 2}
              b: {after: [a], resources: {cpus: 1, gpus: 1}, run: sleep 3}
              c: {after: [b], resources: {cpus: 1}, run: sleep 1}
            """
        }
        try spec("first", 1).write(
            to: directory.appendingPathComponent("first.yaml"), atomically: true, encoding: .utf8)
        let before = try AblateProcess.run(["plan", "first.yaml"], in: directory).stdout
        #expect(before.contains("forecast: nothing to run") == false)
        let run = try AblateProcess.run(["run", "first.yaml", "--gpus", "2", "--cpus", "4"], in: directory)
        #expect(run.status == 0, "\(run.stdout)")
        let store = try ResultStore(path: directory.appendingPathComponent(".ablate/ablate.db").path)
        let usage = try store.attemptUsage(sweep: "first")
        let expectedGPU = usage.reduce(0.0) {
            $0 + Double($1.gpus ?? 0) * $1.endedAt!.timeIntervalSince($1.startedAt!) / 3_600
        }
        let expectedCPU = usage.reduce(0.0) {
            $0 + Double($1.cpus ?? 0) * $1.endedAt!.timeIntervalSince($1.startedAt!) / 3_600
        }
        #expect(usage.map(\.gpus) == [1, 1, 0] && usage.map(\.cpus) == [2, 1, 1])
        let ledger = try ComputeLedger.sweep("first", store: store)
        #expect(abs(ledger.total.gpuHours - expectedGPU) < 1e-12 && expectedGPU > 4.9 / 3_600)
        #expect(abs(ledger.total.cpuHours - expectedCPU) < 1e-12)
        let status = try AblateProcess.run(["status", "first"], in: directory).stdout
        #expect(status.contains("compute of 'first': 0.001 GPU-hours, 0.002 CPU-hours over 3 attempt(s)"), "\(status)")

        // The same stages under another name and seed: new jobs, forecast from the recorded ones.
        try spec("second", 2).write(
            to: directory.appendingPathComponent("second.yaml"), atomically: true, encoding: .utf8)
        let loaded = try SpecFile.load(directory.appendingPathComponent("second.yaml").path)
        let forecast = try Forecast.estimate(plan: loaded.plan, done: [], store: store)
        let measured =
            usage.compactMap(\.endedAt).max()!.timeIntervalSince(usage.compactMap(\.startedAt).min()!) / 3_600
        #expect(forecast.fromRecords == 3)
        #expect(abs(forecast.wallHours - measured) / measured < 0.2, "\(forecast.wallHours) vs \(measured)")
        let plan = try AblateProcess.run(["plan", "second.yaml"], in: directory).stdout
        #expect(plan.contains("forecast for the 3 job(s) not done: ≈ "), "\(plan)")
        #expect(plan.contains("(3 from recorded comparable jobs)"))
    }
}
