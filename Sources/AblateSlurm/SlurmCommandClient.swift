import AblateExecution
import Foundation

/// The real Slurm client: runs `sbatch`, `squeue`, `scontrol` and `scancel` (no shell; arguments passed as they are).
public struct SlurmCommandClient: SlurmClient {
    /// The `sbatch` to run: `$ABLATE_SBATCH` (a site wrapper, say) or `sbatch` on `PATH`.
    public var sbatch: String
    /// Runs the commands.
    public var runner: ProcessRunner

    /// Creates a client; `sbatch` defaults to `$ABLATE_SBATCH`, else `sbatch`.
    public init(sbatch: String? = nil, runner: ProcessRunner = ProcessRunner()) {
        let configured = ProcessInfo.processInfo.environment["ABLATE_SBATCH"].flatMap { $0.isEmpty ? nil : $0 }
        self.sbatch = sbatch ?? configured ?? "sbatch"
        self.runner = runner
    }

    /// Runs `sbatch --parsable SCRIPT` and returns the job ID it answers.
    public func submit(script: URL) throws -> String {
        let result = try run(sbatch, ["--parsable", script.path])
        guard result.status == 0 else {
            throw SlurmError.submissionRefused(script.path, message: Self.message(result))
        }
        // `--parsable` prints `ID` or `ID;CLUSTER`.
        let answer = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let id = String(answer.split(separator: ";").first ?? "")
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw SlurmError.unexpectedAnswer("sbatch --parsable", answer: answer)
        }
        return id
    }

    /// The controller's records of the given job IDs (`squeue -j`).
    public func jobs(ids: [String]) throws -> [SlurmJobInfo] {
        guard !ids.isEmpty else { return [] }
        return try squeue(["-j", ids.joined(separator: ",")])
    }

    /// The controller's records of jobs with the given names (`squeue --name`).
    public func jobs(names: [String]) throws -> [SlurmJobInfo] {
        guard !names.isEmpty else { return [] }
        return try squeue(["--name", names.joined(separator: ",")])
    }

    /// `squeue -h -t all --array -O FORMAT FILTER`: only the jobs asked for, however many the controller
    /// remembers.
    private func squeue(_ filter: [String]) throws -> [SlurmJobInfo] {
        let arguments = ["-h", "-t", "all", "--array", "-O", SlurmJobInfo.squeueFormat] + filter
        let result = try run("squeue", arguments)
        if result.status != 0 {
            // Every ID asked for has left the controller.
            if result.error.contains("Invalid job id") { return [] }
            throw SlurmError.commandFailed(
                "squeue " + arguments.joined(separator: " "), status: result.status, message: Self.message(result))
        }
        return SlurmJobInfo.parse(result.output)
    }

    /// Runs `scancel` on the given job or array-task IDs.
    public func cancel(_ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        let result = try run("scancel", ids)
        guard result.status == 0 else {
            throw SlurmError.commandFailed("scancel", status: result.status, message: Self.message(result))
        }
    }

    /// The cluster's `MaxArraySize` (`scontrol show config`), 1001 when it says none.
    public func maxArraySize() throws -> Int {
        let result = try run("scontrol", ["show", "config"])
        guard result.status == 0 else {
            throw SlurmError.commandFailed("scontrol show config", status: result.status, message: Self.message(result))
        }
        for line in result.output.split(separator: "\n") where line.hasPrefix("MaxArraySize") {
            if let value = line.split(separator: "=").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
                return value
            }
        }
        return 1001
    }

    /// Runs a Slurm command; a missing one is a Slurm error that says how to get the tools.
    private func run(_ command: String, _ arguments: [String]) throws -> ProcessRunner.Result {
        guard ProcessRunner.resolve(command) != nil else { throw SlurmError.missingCommand(command) }
        return try runner.run(command, arguments)
    }

    private static func message(_ result: ProcessRunner.Result) -> String {
        (result.error + result.output).trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "\n", with: "; ")
    }
}
