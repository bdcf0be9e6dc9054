import Foundation

/// Problems talking to Slurm (a job's own failure is a recorded result, not one of these).
public enum SlurmError: LocalizedError, Sendable, Equatable {
    /// A Slurm command was not found.
    case missingCommand(String)
    /// A Slurm command failed (controller down, bad arguments).
    case commandFailed(String, status: Int32, message: String)
    /// sbatch refused a script.
    case submissionRefused(String, message: String)
    /// sbatch answered something that is not a job ID.
    case unexpectedAnswer(String, answer: String)
    /// Jobs of the sweep are running on the local backend.
    case runningLocally(Int)

    /// The message shown to the user.
    public var errorDescription: String? {
        switch self {
        case .missingCommand(let name):
            "'\(name)' was not found on PATH; install the Slurm client tools (apt: slurm-client) or, to try the backend on this machine, run 'scripts/slurm-dev-cluster.sh up'"
        case .commandFailed(let command, let status, let message):
            "'\(command)' failed (exit \(status)): \(message.isEmpty ? "no message" : message); is the controller up? 'sinfo' should list nodes"
        case .submissionRefused(let script, let message):
            "sbatch refused '\(script)': \(message); fix the stage's 'resources' or the spec's 'slurm' section"
        case .unexpectedAnswer(let command, let answer):
            "'\(command)' answered '\(answer)', not a job ID"
        case .runningLocally(let count):
            "\(count) job(s) of this sweep are running on the local backend; wait for them (or 'ablate cancel' them) before submitting to Slurm"
        }
    }
}
