import AblateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Kill the orchestrator with SIGKILL at random moments, restart it, and check that every job ran to
/// success exactly once and every metric line was ingested exactly once.
@Suite(.serialized) struct CrashRecoveryTests {
    static let spec: String = {
        let values = (0..<25).map(String.init).joined(separator: ", ")
        return """
            sweep: fault
            grid:
              i: [\(values)]
              j: [0, 1]
            stages:
              work:
                uses: [i, j]
                run: >-
                  n=$(( ({params.i} * 7 + {params.j} * 13) % 10 + 1 ));
                  for s in $(seq 1 $n); do echo "{{\\"step\\": $s, \\"v\\": $s}}" >> $ABLATE_METRICS; sleep 0.1; done

            """
    }()

    /// Starts `ablate run` in the background and returns its pid.
    static func start(in directory: URL, log: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = AblateProcess.binary
        process.arguments = ["run", "s.yaml", "--jobs", "4"]
        process.currentDirectoryURL = directory
        if let log {
            let url = directory.appendingPathComponent(log)
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            let handle = try FileHandle(forWritingTo: url)
            process.standardOutput = handle
            process.standardError = handle
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return process
    }

    @Test func killingTheOrchestratorAtRandomMomentsLosesAndRepeatsNothing() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try Self.spec.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<12 {
            let process = try Self.start(in: directory)
            usleep(UInt32.random(in: 100_000...900_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let final = try AblateProcess.run(["run", "s.yaml", "--jobs", "4"], in: directory)
        #expect(final.status == 0, "\(final.stdout)")
        func value(_ query: String) throws -> String {
            try AblateProcess.run(["sql", query, "--format", "csv"], in: directory).stdout
                .split(separator: "\n").dropFirst().joined(separator: "|")
        }
        #expect(try value("SELECT COUNT(*) FROM jobs WHERE state = 'succeeded'") == "50")
        // One successful attempt per job.
        #expect(try value("SELECT COUNT(*) FROM attempts WHERE outcome = 'succeeded'") == "50")
        #expect(
            try value(
                "SELECT COUNT(*) FROM (SELECT job_id FROM attempts WHERE outcome = 'succeeded' GROUP BY job_id HAVING COUNT(*) > 1)"
            ) == "0")
        // Exactly the metric lines written: sum over jobs of n = (7i + 13j) % 10 + 1.
        var expected = 0
        for i in 0..<25 { for j in 0..<2 { expected += (i * 7 + j * 13) % 10 + 1 } }
        #expect(try value("SELECT COUNT(*) FROM metric_points") == String(expected))
        var written = 0
        let jobs = directory.appendingPathComponent(".ablate/jobs/work")
        for job in try FileManager.default.contentsOfDirectory(atPath: jobs.path) {
            let text = try String(
                contentsOf: jobs.appendingPathComponent(job).appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            written += text.split(separator: "\n").count
        }
        #expect(written == expected)
    }

    @Test func twoOrchestratorsOnOneDatabaseNeverRunAJobTwice() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try Self.spec.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let first = try Self.start(in: directory, log: "first.log")
        let second = try Self.start(in: directory, log: "second.log")
        first.waitUntilExit()
        second.waitUntilExit()
        let logs = try ["first.log", "second.log"].map {
            try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)
        }
        #expect(first.terminationStatus == 0, "\(logs[0])")
        #expect(second.terminationStatus == 0, "\(logs[1])")
        let attempts = try AblateProcess.run(
            ["sql", "SELECT COUNT(*) FROM attempts", "--format", "csv"], in: directory)
        #expect(attempts.stdout == "COUNT(*)\n50\n")
    }

    @Test func cancelStopsAJobOfADeadOrchestrator() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try """
        sweep: long
        stages:
          wait: {run: "sleep 30"}

        """.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let process = try Self.start(in: directory)
        usleep(1_500_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let cancel = try AblateProcess.run(["cancel", "long"], in: directory)
        #expect(cancel.status == 0)
        #expect(cancel.stdout.contains("1 job(s) had no live orchestrator: stopped and recorded as cancelled here"))
        let jobState = try AblateProcess.run(["sql", "SELECT state FROM jobs", "--format", "csv"], in: directory)
        #expect(jobState.stdout == "state\ncancelled\n")
        let sleeping = try AblateProcess.run(["sql", "SELECT pgid FROM attempts", "--format", "csv"], in: directory)
        let pgid = Int32(sleeping.stdout.split(separator: "\n")[1]) ?? 0
        // Gone, or a zombie waiting for its new parent to reap it.
        let state = (try? String(contentsOfFile: "/proc/\(pgid)/stat", encoding: .utf8))?
            .split(separator: ")").last?.split(separator: " ").first
        #expect(state == nil || state == "Z")
    }
}
