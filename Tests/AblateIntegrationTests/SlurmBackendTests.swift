import AblateStore
import AblateTestSupport
import Foundation
import Testing

/// `ablate run --backend slurm` against the real single-node cluster that `scripts/slurm-dev-cluster.sh up`
/// starts (CI brings it up before the tests). Job names carry the sweep, so each test uses its own sweep.
@Suite(.enabled(if: TestTools.slurm, "no Slurm cluster answers; start one with 'scripts/slurm-dev-cluster.sh up'"))
struct SlurmBackendTests {
    /// Makes this run's sweep (and so job) names differ from those of earlier runs the controller remembers.
    static let unique = String(UUID().uuidString.prefix(8)).lowercased()

    /// A work directory (with a space in its path) holding `spec` as `s.yaml`; the cluster must be up.
    static func directory(with spec: String) throws -> URL {
        let probe = try AblateProcess.tool("/usr/bin/env", ["sinfo", "-h", "-o", "%T"])
        try #require(
            probe.status == 0 && !probe.output.isEmpty,
            "no Slurm cluster answers; start one with 'scripts/slurm-dev-cluster.sh up'")
        let directory = try AblateProcess.temporaryDirectory().appendingPathComponent("work dir")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try spec.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    static func ablate(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:]
    ) throws
        -> AblateProcess.Result
    {
        try AblateProcess.run(arguments + ["--db", "a.db"], in: directory, environment: environment)
    }

    static func store(_ directory: URL) throws -> ResultStore {
        try ResultStore(path: directory.appendingPathComponent("a.db").path)
    }

    /// Every job of the sweep with its attempts, by stage.
    static func jobs(_ directory: URL, sweep: String) throws -> [String: [JobRecord]] {
        let store = try store(directory)
        let rows = try store.sweepJobs(sweep: sweep)
        let records = try store.jobRecords(keys: rows.map(\.key))
        return Dictionary(grouping: records.values, by: \.stage)
    }

    /// Polls `condition` (after an `ablate sync`) until it holds or `timeout` seconds pass.
    static func wait(
        _ what: String, in directory: URL, timeout: Double, _ condition: () throws -> Bool
    ) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            _ = try ablate(["sync"], in: directory)
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.5)
        }
        Issue.record("timed out after \(Int(timeout)) s waiting for \(what)")
        throw CancellationError()
    }

    @Test func aThreeStageSweepRunsInDependencyOrderWithThrottledArrays() throws {
        let directory = try Self.directory(
            with: """
                sweep: slurm-it-dag
                grid:
                  data: [books, code, repos]
                  sft: [ultrachat, tulu]
                stages:
                  pretrain:
                    uses: [data]
                    run: 'sleep 1; echo pretrained {params.data}; echo ''{{"step": 1, "loss": 2.5}}'' >> "$ABLATE_METRICS"'
                  sft:
                    after: pretrain
                    uses: [sft]
                    run: 'test -f {pretrain.output}/.ablate/stdout.log && echo sft {params.sft} on {pretrain.output}'
                  eval:
                    after: sft
                    run: 'echo ''{{"recall": 0.5}}'' >> "$ABLATE_METRICS"'
                slurm:
                  max_running: 1

                """)
        let result = try Self.ablate(["run", "s.yaml", "--backend", "slurm", "--watch", "--poll", "1"], in: directory)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("submitted 15 job(s) in 7 sbatch call(s) (7 array(s))"))
        let jobs = try Self.jobs(directory, sweep: "slurm-it-dag")
        let all = jobs.values.flatMap { $0 }
        #expect(all.count == 15)
        #expect(all.allSatisfy { $0.state == .succeeded && $0.attempts.count == 1 })
        #expect(all.allSatisfy { $0.attempts[0].backend == .slurm && $0.attempts[0].backendJobID != nil })
        // Dependency order, from the recorded start and end times.
        let byKey = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })
        let store = try Self.store(directory)
        for job in all where job.stage != "pretrain" {
            let config = try String(contentsOfFile: job.outputDir! + "/.ablate/config.json", encoding: .utf8)
            let upstream = try #require(
                byKey.values.first { config.contains($0.outputDir! + "\"") && $0.key != job.key })
            let start = try #require(job.attempts[0].startedAt)
            let upstreamEnd = try #require(upstream.attempts[0].endedAt)
            #expect(start >= upstreamEnd, "\(job.stage) started before its upstream \(upstream.stage) ended")
        }
        // The throttle: never two pretraining tasks at once.
        let intervals = jobs["pretrain"]!.map { ($0.attempts[0].startedAt!, $0.attempts[0].endedAt!) }.sorted {
            $0.0 < $1.0
        }
        for (earlier, later) in zip(intervals, intervals.dropFirst()) { #expect(later.0 >= earlier.1) }
        #expect(try store.submissionCounts(sweep: "slurm-it-dag") == [.submitted: 7])
        // Metrics were ingested from the job directories; stdout went into each job directory.
        let runs = try Self.ablate(["runs", "--format", "csv"], in: directory).stdout
        #expect(runs.split(separator: "\n").count == 7)
        #expect(runs.split(separator: "\n").dropFirst().allSatisfy { $0.hasSuffix(",2.5,0.5") })
        let sft = jobs["sft"]![0]
        #expect(try String(contentsOfFile: sft.outputDir! + "/.ablate/stdout.log", encoding: .utf8).hasPrefix("sft "))
        // Nothing is submitted twice.
        let again = try Self.ablate(["run", "s.yaml", "--backend", "slurm"], in: directory)
        #expect(again.stdout.contains("submitted 0 job(s) in 0 sbatch call(s) (0 array(s)); 15 reused"))
    }

    @Test func aFailingJobBlocksExactlyItsDownstreamJobs() throws {
        let directory = try Self.directory(
            with: """
                sweep: slurm-it-fail
                grid:
                  data: [good, bad]
                  sft: [a, b]
                stages:
                  pretrain:
                    uses: [data]
                    run: 'test {params.data} = good || exit 3'
                  sft: {after: pretrain, uses: [sft], run: 'true'}
                  eval: {after: sft, run: 'true'}

                """)
        let result = try Self.ablate(["run", "s.yaml", "--backend", "slurm", "--watch", "--poll", "1"], in: directory)
        #expect(result.status == 1)
        let jobs = try Self.jobs(directory, sweep: "slurm-it-fail")
        let states = jobs.mapValues { $0.map(\.state).sorted { $0.rawValue < $1.rawValue } }
        #expect(states["pretrain"] == [.failed, .succeeded])
        #expect(states["sft"] == [.blocked, .blocked, .succeeded, .succeeded])
        #expect(states["eval"] == [.blocked, .blocked, .succeeded, .succeeded])
        let failed = try #require(jobs["pretrain"]!.first { $0.state == .failed })
        #expect(failed.reason == "exit 3")
        let blocked = jobs["sft"]!.filter { $0.state == .blocked }
        #expect(blocked.allSatisfy { $0.reason == "an upstream job did not succeed (Slurm: DependencyNeverSatisfied)" })
        #expect(blocked.allSatisfy { $0.attempts.allSatisfy { $0.startedAt == nil } })
        // Retrying submits exactly the failed job and what it blocked.
        let retry = try Self.ablate(["retry", "slurm-it-fail", "--failed", "--backend", "slurm"], in: directory)
        #expect(retry.stdout.contains("sweep 'slurm-it-fail': 5 job(s) to run again"), "\(retry.stdout)")
        #expect(retry.stdout.contains("submitted 5 job(s)"), "\(retry.stdout)")
        let cancel = try Self.ablate(["cancel", "slurm-it-fail"], in: directory)
        #expect(cancel.status == 0)
    }

    @Test func aRequeuedJobIsASecondAttemptThatResumes() throws {
        let directory = try Self.directory(
            with: """
                sweep: slurm-it-requeue
                stages:
                  train:
                    run: >-
                      step=$(cat "$ABLATE_OUTPUT_DIR/ckpt" 2>/dev/null || echo 0);
                      echo "attempt $ABLATE_ATTEMPT resumes at step $step";
                      trap 'exit 143' TERM;
                      while [ $step -lt 16 ]; do step=$((step + 1)); sleep 0.5;
                      echo $step > "$ABLATE_OUTPUT_DIR/ckpt.tmp"; mv "$ABLATE_OUTPUT_DIR/ckpt.tmp" "$ABLATE_OUTPUT_DIR/ckpt";
                      echo "{{\\"step\\": $step, \\"loss\\": 1}}" >> "$ABLATE_METRICS"; done

                """)
        let submitted = try Self.ablate(["run", "s.yaml", "--backend", "slurm"], in: directory)
        #expect(submitted.status == 0, "\(submitted.stdout)\(submitted.stderr)")
        let job = try #require(try Self.jobs(directory, sweep: "slurm-it-requeue")["train"]?.first)
        let checkpoint = job.outputDir! + "/ckpt"
        try Self.wait("the first checkpoints", in: directory, timeout: 300) {
            (try? String(contentsOfFile: checkpoint, encoding: .utf8)).flatMap {
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }.map { $0 >= 3 } ?? false
        }
        let slurmID = try #require(
            try Self.store(directory).openSlurmAttempts().first { $0.jobKey == job.key }?.slurmID)
        let requeue = try AblateProcess.tool("/usr/bin/env", ["scontrol", "requeue", slurmID])
        #expect(requeue.status == 0, "\(requeue.output)")
        try Self.wait("the requeued job to finish", in: directory, timeout: 300) {
            try Self.jobs(directory, sweep: "slurm-it-requeue")["train"]?.first?.state == .succeeded
        }
        let final = try #require(try Self.jobs(directory, sweep: "slurm-it-requeue")["train"]?.first)
        #expect(final.attempts.map(\.state) == [.requeued, .succeeded])
        #expect(final.attempts.map(\.backendJobID) == [slurmID, slurmID])
        let log = try String(contentsOfFile: final.outputDir! + "/.ablate/stdout.log", encoding: .utf8)
        #expect(log.contains("attempt 1 resumes at step 0"))
        let resumed = try #require(log.split(separator: "\n").first { $0.hasPrefix("attempt 2 resumes at step ") })
        #expect((Int(resumed.split(separator: " ").last!) ?? 0) >= 3)
    }

    @Test func scancelIsRecordedAsCancelled() throws {
        let directory = try Self.directory(
            with: """
                sweep: slurm-it-cancel
                grid: {n: [1, 2]}
                stages:
                  wait: {uses: [n], run: 'sleep 120'}
                  after: {after: wait, run: 'true'}

                """)
        _ = try Self.ablate(["run", "s.yaml", "--backend", "slurm"], in: directory)
        let attempts = try Self.store(directory).openSlurmAttempts().filter { $0.stage == "wait" }
        #expect(attempts.count == 2)
        // One by the user's own scancel, one through 'ablate cancel'.
        _ = try AblateProcess.tool("/usr/bin/env", ["scancel", attempts[0].slurmID!])
        let cancel = try Self.ablate(["cancel", String(attempts[1].jobKey.prefix(12))], in: directory)
        #expect(cancel.stdout.contains("1 job(s) in Slurm cancelled with scancel"), "\(cancel.stdout)\(cancel.stderr)")
        try Self.wait("both cancellations and the downstream jobs blocked", in: directory, timeout: 300) {
            let jobs = try Self.jobs(directory, sweep: "slurm-it-cancel")
            return jobs["wait"]!.allSatisfy { $0.state == .cancelled }
                && jobs["after"]!.allSatisfy { $0.state == .blocked }
        }
        let jobs = try Self.jobs(directory, sweep: "slurm-it-cancel")
        #expect(jobs["wait"]!.allSatisfy { $0.reason == "cancelled in Slurm (scancel)" })
        #expect(jobs["wait"]!.allSatisfy { $0.attempts.map(\.state) == [.cancelled] })
        #expect(jobs["after"]!.map(\.state) == [.blocked, .blocked])
        let status = try Self.ablate(["status", "slurm-it-cancel"], in: directory)
        #expect(status.stdout.contains("wait: 2 cancelled"), "\(status.stdout)")
    }

    @Test func exceedingTheTimeLimitIsATimeoutAfterSIGUSR1() throws {
        let directory = try Self.directory(
            with: """
                sweep: slurm-it-timeout
                stages:
                  slow:
                    resources: {time: "1"}
                    run: >-
                      trap 'echo got USR1 >> "$ABLATE_OUTPUT_DIR/signals"' USR1;
                      i=0; while [ $i -lt 600 ]; do sleep 0.5; i=$((i + 1)); done
                slurm:
                  signal: 50s

                """)
        _ = try Self.ablate(["run", "s.yaml", "--backend", "slurm"], in: directory)
        try Self.wait("the time limit", in: directory, timeout: 400) {
            try Self.jobs(directory, sweep: "slurm-it-timeout")["slow"]?.first?.state == .failed
        }
        let job = try #require(try Self.jobs(directory, sweep: "slurm-it-timeout")["slow"]?.first)
        #expect(job.reason == "exceeded its Slurm time limit (TIMEOUT)")
        #expect(job.attempts.map(\.state) == [.timeout])
        // --signal=B:USR1@50 reached the trainer through ablate-wrap, about 10 s after the start.
        #expect(try String(contentsOfFile: job.outputDir! + "/signals", encoding: .utf8).hasPrefix("got USR1"))
    }

    /// `ABLATE_SBATCH` points at a wrapper that kills `ablate` with SIGKILL just before or just after
    /// running the real sbatch: the two sides of the window a crash can hit.
    @Test(arguments: ["after", "before"])
    func aKillDuringSubmissionLeavesNoDuplicate(moment: String) throws {
        let sweep = "slurm-it-kill-\(moment)-\(Self.unique)"
        let directory = try Self.directory(
            with: """
                sweep: \(sweep)
                grid: {n: [1, 2, 3]}
                stages:
                  a: {uses: [n], run: 'true'}
                  b: {after: a, run: 'true'}

                """)
        let wrapper = directory.appendingPathComponent("sbatch-then-die")
        let body =
            moment == "after"
            ? "sbatch \"$@\"; status=$?; kill -9 $PPID; exit $status" : "kill -9 $PPID; sleep 5; exit 1"
        try "#!/bin/sh\n\(body)\n".write(to: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
        let killed = try Self.ablate(
            ["run", "s.yaml", "--backend", "slurm"], in: directory, environment: ["ABLATE_SBATCH": wrapper.path])
        #expect(killed.status == 9 || killed.status == 137, "\(killed.stdout)\(killed.stderr)")
        let rerun = try Self.ablate(["run", "s.yaml", "--backend", "slurm", "--watch", "--poll", "1"], in: directory)
        #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
        #expect(rerun.stdout.contains(moment == "after" ? "found   a submission" : "lost    a submission"))
        // Slurm has exactly one task per job of the sweep.
        let controller = try AblateProcess.tool(
            "/usr/bin/env", ["squeue", "-h", "-t", "all", "--array", "-o", "%j %i"])
        let tasks = controller.output.split(separator: "\n").filter { $0.hasPrefix("ablate/\(sweep)/") }
        #expect(tasks.count == 6, "\(controller.output)")
        let jobs = try Self.jobs(directory, sweep: sweep).values.flatMap { $0 }
        #expect(jobs.allSatisfy { $0.state == .succeeded })
        #expect(jobs.allSatisfy { $0.attempts.filter { $0.state != .lost }.count == 1 })
    }

    @Test func aRefusedSubmissionFailsItsJobsWithSbatchsMessageAndBlocksTheRest() throws {
        let directory = try Self.directory(
            with: """
                sweep: slurm-it-refused
                stages:
                  a: {run: 'true', resources: {partition: no-such-partition}}
                  b: {after: a, run: 'true'}

                """)
        let result = try Self.ablate(["run", "s.yaml", "--backend", "slurm"], in: directory)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("refused a: sbatch refused 1 job(s): sbatch: error: invalid partition specified"))
        let jobs = try Self.jobs(directory, sweep: "slurm-it-refused")
        #expect(jobs["a"]?.first?.state == .failed)
        #expect(jobs["a"]?.first?.reason?.hasPrefix("sbatch refused it: sbatch: error: invalid partition") == true)
        #expect(jobs["b"]?.first?.state == .blocked)
    }

    @Test func theLocalBackendLeavesJobsInSlurmAlone() throws {
        let directory = try Self.directory(
            with: """
                sweep: slurm-it-local
                stages:
                  held: {run: 'true'}
                slurm: {sbatch: ["--hold"]}

                """)
        #expect(try Self.ablate(["run", "s.yaml", "--backend", "slurm"], in: directory).status == 0)
        let local = try Self.ablate(["run", "s.yaml"], in: directory)
        #expect(local.status != 0)
        #expect(
            local.stderr.contains(
                "error: 1 job(s) of this sweep are pending or running in Slurm; use '--backend slurm' (or 'ablate cancel' them first)"
            ), "\(local.stderr)")
        let cancel = try Self.ablate(["cancel", "slurm-it-local"], in: directory)
        #expect(cancel.stdout.contains("1 job(s) in Slurm cancelled with scancel"))
        #expect(try Self.jobs(directory, sweep: "slurm-it-local")["held"]?.first?.state == .cancelled)
    }

}
