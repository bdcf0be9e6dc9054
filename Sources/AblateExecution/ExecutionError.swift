import Foundation

/// Problems that stop a sweep from being run (a job's own failure is a recorded result, not one of these).
public enum ExecutionError: LocalizedError, Sendable, Equatable {
    /// The `ablate-wrap` supervisor was not found.
    case missingWrapper(String)
    /// A command was not found (as a path, or on `PATH`).
    case missingCommand(String)
    /// A process could not be started.
    case spawnFailed(String, code: Int32)
    /// A job directory could not be prepared.
    case cannotPrepare(String, reason: String)
    /// The work directory cannot be used by this backend (the reason says why and what to do).
    case unusableWorkdir(String)
    /// No sweep of that name is recorded.
    case unknownSweep(String)
    /// Jobs of the sweep are pending or running in Slurm.
    case submittedToSlurm(Int)

    /// The message shown to the user.
    public var errorDescription: String? {
        switch self {
        case .missingWrapper(let path):
            "the job supervisor 'ablate-wrap' was not found at '\(path)'; build it with 'swift build --product ablate-wrap' or set ABLATE_WRAP"
        case .missingCommand(let name):
            "'\(name)' was not found on PATH; install it or give its full path"
        case .spawnFailed(let path, let code):
            "cannot start '\(path)': \(String(cString: strerror(code)))"
        case .cannotPrepare(let path, let reason):
            "cannot prepare the directory '\(path)': \(reason)"
        case .unusableWorkdir(let reason):
            reason
        case .unknownSweep(let name):
            "no sweep named '\(name)' is recorded; 'ablate runs' lists sweeps, 'ablate run SPEC' records one"
        case .submittedToSlurm(let count):
            "\(count) job(s) of this sweep are pending or running in Slurm; use '--backend slurm' (or 'ablate cancel' them first)"
        }
    }
}
