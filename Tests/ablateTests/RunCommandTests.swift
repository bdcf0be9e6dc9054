import AblateTestSupport
import Foundation
import Testing

/// `ablate run` argument errors, through the built binary (the backends themselves are integration tests).
@Suite struct RunCommandTests {
    @Test func anUnknownBackendIsAClearErrorAndRunsNothing() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try "sweep: x\nstages:\n  s: {run: 'touch ran'}\n".write(
            to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let result = try AblateProcess.run(["run", "s.yaml", "--backend", "slurmm"], in: directory)
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "Error: The value 'slurmm' is invalid for '--backend <backend>'. Please provide one of 'local' and 'slurm'."
            ))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("ran").path))
    }

    @Test func sbatchMissingFromPathIsAClearError() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try "sweep: x\nstages:\n  s: {run: 'true'}\n".write(
            to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let result = try AblateProcess.run(
            ["run", "s.yaml", "--backend", "slurm", "--no-arrays", "--db", "a.db"], in: directory,
            environment: ["ABLATE_SBATCH": "/nonexistent/sbatch"])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "error: '/nonexistent/sbatch' was not found on PATH; install the Slurm client tools (apt: slurm-client) or, to try the backend on this machine, run 'scripts/slurm-dev-cluster.sh up'"
            ), "\(result.stderr)")
        // Nothing is left half-submitted: the job is new again and runs on the next try.
        let sql = try AblateProcess.run(
            ["sql", "SELECT state FROM jobs", "--format", "csv", "--db", "a.db"], in: directory)
        #expect(sql.stdout == "state\nnew\n")
    }

    @Test(arguments: [
        (["--jobs", "0"], "Error: --jobs 0 is out of range; give a whole number from 1 to 4096"),
        (["--jobs=-1"], "Error: --jobs -1 is out of range; give a whole number from 1 to 4096"),
        (["--jobs", "100000"], "Error: --jobs 100000 is out of range; give a whole number from 1 to 4096"),
        (["--grace", "nan"], "Error: --grace nan is out of range; give seconds from 0 to 86400"),
        (["--grace=-5"], "Error: --grace -5.0 is out of range; give seconds from 0 to 86400"),
        (["--poll", "0"], "Error: --poll 0.0 is out of range; give seconds from 0.1 to 3600"),
        (["--max-running", "0"], "Error: --max-running 0 is out of range; give a whole number from 1 to 1000000"),
    ])
    func outOfRangeOptionsAreRefusedWithExitTwo(options: [String], message: String) throws {
        let directory = try AblateProcess.temporaryDirectory()
        try "sweep: x\nstages:\n  s: {run: 'touch ran'}\n".write(
            to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        for command in [["run", "s.yaml"], ["retry", "x"]] {
            let result = try AblateProcess.run(command + options, in: directory)
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("ran").path))
    }
}
