import AblateStore
import AblateTestSupport
import Foundation
import Testing

/// `ablate run` on the local backend with real processes standing in for trainers.
@Suite(.serialized) struct LocalRunTests {
    /// A work directory holding `spec` as `s.yaml`.
    static func directory(with spec: String) throws -> URL {
        let directory = try AblateProcess.temporaryDirectory()
        try spec.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    static func sql(_ query: String, in directory: URL) throws -> [String] {
        let result = try AblateProcess.run(["sql", query, "--format", "csv"], in: directory)
        return Array(result.stdout.split(separator: "\n").dropFirst().map(String.init))
    }

    @Test func outcomesOfRealProcessesAreRecorded() throws {
        let directory = try Self.directory(
            with: """
                sweep: outcomes
                grid:
                  case: [ok, exit3, signal, timeout, garbage, huge]
                stages:
                  job:
                    uses: [case]
                    timeout: 2s
                    run: >-
                      case {params.case} in
                      ok) echo '{{"step": 1, "loss": 2.5}}' >> $ABLATE_METRICS; echo '{{"acc": 0.75}}' >> $ABLATE_METRICS ;;
                      exit3) echo failing >&2; exit 3 ;;
                      signal) kill -9 $$ ;;
                      timeout) sleep 60 ;;
                      garbage) printf '{{"step": 1, "loss": 1}}\\nnot json\\n{{"step": 2, "loss": 0.5}}\\n{{"step": ' >> $ABLATE_METRICS ;;
                      huge) head -c 30000000 /dev/zero | tr '\\0' x; echo ;;
                      esac

                """)
        let started = Date()
        let result = try AblateProcess.run(["run", "s.yaml", "--jobs", "6", "--grace", "1"], in: directory)
        #expect(result.status == 1)
        #expect(Date().timeIntervalSince(started) < 30)
        let attempts = try Self.sql(
            """
            SELECT json_extract(j.params, '$.case'), a.outcome, IFNULL(a.exit_code, ''), IFNULL(a.signal, ''), a.reason
            FROM attempts a JOIN jobs j ON j.id = a.job_id ORDER BY 1
            """, in: directory)
        #expect(
            attempts == [
                "exit3,failed,3,,exit 3",
                "garbage,succeeded,0,,exit 0",
                "huge,succeeded,0,,exit 0",
                "ok,succeeded,0,,exit 0",
                "signal,failed,,9,signal 9",
                "timeout,timeout,,15,timed out (signal 15 after termination)",
            ])
        #expect(try Self.sql("SELECT COUNT(*) FROM metric_points", in: directory) == ["3"])
        let ok = try Self.sql(
            "SELECT k.name, s.value FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id JOIN jobs j ON j.id = s.job_id WHERE j.params LIKE '%\"ok\"%' ORDER BY 1",
            in: directory)
        #expect(ok == ["acc,0.75", "loss,2.5"])
        #expect(result.stdout.contains("malformed metrics line skipped: not a JSON object"))
        let huge = try AblateProcess.run(
            ["sql", "SELECT output_dir FROM jobs WHERE params LIKE '%huge%'", "--format", "csv"], in: directory)
        let hugeDirectory = String(huge.stdout.split(separator: "\n")[1])
        let size =
            try FileManager.default.attributesOfItem(atPath: hugeDirectory + "/.ablate/stdout.log")[.size] as? Int
        #expect(size == 30_000_001)
        #expect(result.stdout.contains("finished: 3 succeeded, 3 failed"))
        let status = try AblateProcess.run(["status", "outcomes"], in: directory)
        #expect(status.stdout.contains("  job: 3 succeeded, 3 failed"))
        #expect(status.stdout.contains("failed job "))
    }

    @Test func hostileParameterValuesReachTheTrainerVerbatimAndExecuteNothing() throws {
        let directory = try Self.directory(
            with: """
                sweep: hostile
                grid:
                  value: ["$(touch pwned)", "; rm -rf x", "it's \\"quoted\\"", "line1\\nline2", "`touch pwned2`", "*"]
                stages:
                  echo:
                    uses: [value]
                    run: "printf '%s' {params.value} > {output}/argument"

                """)
        try "keep".write(to: directory.appendingPathComponent("x"), atomically: true, encoding: .utf8)
        let result = try AblateProcess.run(["run", "s.yaml"], in: directory)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let outputs = try Self.sql("SELECT output_dir FROM jobs ORDER BY id", in: directory)
        let written = try outputs.map { try String(contentsOfFile: $0 + "/argument", encoding: .utf8) }
        #expect(
            Set(written) == ["$(touch pwned)", "; rm -rf x", "it's \"quoted\"", "line1\nline2", "`touch pwned2`", "*"])
        let configs = try outputs.map { try String(contentsOfFile: $0 + "/.ablate/config.json", encoding: .utf8) }
        #expect(configs.contains { $0.contains(#""value": "$(touch pwned)""#) })
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("pwned").path))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("pwned2").path))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("x").path))
    }

    @Test func upstreamFailureBlocksDownstreamAndRetryReRunsIt() throws {
        let directory = try Self.directory(
            with: """
                sweep: chain
                grid:
                  x: [1, 2]
                stages:
                  first:
                    uses: [x]
                    retries: 1
                    run: "test -f {output}/../../../allow || test {params.x} = 1"
                  second:
                    after: [first]
                    run: "cat {config} > /dev/null"

                """)
        let failed = try AblateProcess.run(["run", "s.yaml"], in: directory)
        #expect(failed.status == 1)
        #expect(
            try Self.sql("SELECT stage, state FROM jobs ORDER BY stage, state", in: directory) == [
                "first,failed", "first,succeeded", "second,blocked", "second,succeeded",
            ])
        // Two attempts of the failing job: the retry was used.
        #expect(
            try Self.sql(
                "SELECT COUNT(*) FROM attempts a JOIN jobs j ON j.id = a.job_id WHERE j.state = 'failed'", in: directory
            ) == ["2"])
        try "".write(to: directory.appendingPathComponent(".ablate/allow"), atomically: true, encoding: .utf8)
        let retried = try AblateProcess.run(["retry", "chain", "--failed"], in: directory)
        #expect(retried.status == 0, "\(retried.stdout)")
        #expect(retried.stdout.contains("sweep 'chain': 2 job(s) to run again"))
        #expect(try Self.sql("SELECT DISTINCT state FROM jobs", in: directory) == ["succeeded"])
        // A second run reuses everything and runs nothing.
        let again = try AblateProcess.run(["run", "s.yaml"], in: directory)
        #expect(again.status == 0)
        #expect(again.stdout.contains("(0 run now, 4 reused)"))
    }

    @Test func jobEnvironmentAndConfigFollowTheContract() throws {
        let directory = try Self.directory(
            with: """
                sweep: contract
                params: {lr: 1e-5}
                stages:
                  pretrain:
                    uses: [lr]
                    run: "echo model > {output}/model.bin"
                  sft-long:
                    after: [pretrain]
                    uses: [lr]
                    run: "env | grep ^ABLATE_ | sort > {output}/env; cp {config} {output}/copy.json"

                """)
        let result = try AblateProcess.run(["run", "s.yaml"], in: directory)
        #expect(result.status == 0, "\(result.stdout)")
        let sft = try #require(
            try Self.sql("SELECT output_dir FROM jobs WHERE stage = 'sft-long'", in: directory).first)
        let pretrain = try #require(
            try Self.sql("SELECT output_dir FROM jobs WHERE stage = 'pretrain'", in: directory).first)
        let environment = try String(contentsOfFile: sft + "/env", encoding: .utf8)
        #expect(environment.contains("ABLATE_INPUT_PRETRAIN=\(pretrain)\n"))
        #expect(environment.contains("ABLATE_OUTPUT_DIR=\(sft)\n"))
        #expect(environment.contains("ABLATE_METRICS=\(sft)/metrics.jsonl\n"))
        #expect(environment.contains("ABLATE_CONFIG=\(sft)/.ablate/config.json\n"))
        #expect(environment.contains("ABLATE_ATTEMPT=1\n"))
        let config = try String(contentsOfFile: sft + "/copy.json", encoding: .utf8)
        #expect(config.contains(#""pretrain": "\#(pretrain)""#))
        #expect(config.contains(#""lr": 1e-5"#))
        #expect(config.contains(#""stage": "sft-long""#))
        let logs = try AblateProcess.run(["logs", String(sft.suffix(64).prefix(10))], in: directory)
        #expect(logs.status == 0)
    }
}
