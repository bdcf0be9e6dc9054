import AblateCore

/// What a Slurm job state means for an Ablate job: the mapping from the controller's states and reasons
/// to job states, with the reason Ablate records. Pure; see ``observe(state:reason:exit:)``.
public enum SlurmObservation: Sendable, Equatable {
    /// Not running yet (or again): pending on dependencies, resources, the array throttle, a requeue.
    case waiting(reason: String)
    /// Running (or finishing).
    case running
    /// Will never run because an upstream job did not succeed (`--kill-on-invalid-dep`).
    case blocked(reason: String)
    /// Over: the attempt's outcome, the job state it leads to before retries are considered, and why.
    case ended(outcome: AttemptState, state: JobState, reason: String)

    /// Maps a Slurm state (`JobState=`), its reason (`Reason=`) and the batch script's exit.
    public static func observe(state: String, reason: String, exit: Termination?) -> SlurmObservation {
        let base = state.split(separator: "+").first.map(String.init) ?? state
        switch base {
        case "PENDING":
            if reason == "DependencyNeverSatisfied" {
                return .blocked(reason: "an upstream job did not succeed (Slurm: DependencyNeverSatisfied)")
            }
            return .waiting(reason: pendingReason(reason))
        case "REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "SPECIAL_EXIT":
            return .waiting(reason: "requeued; waiting to restart")
        case "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT", "RESIZING":
            return .running
        case "COMPLETED":
            if let exit, !exit.isSuccess {
                return .ended(outcome: .failed, state: .failed, reason: exit.description)
            }
            return .ended(outcome: .succeeded, state: .succeeded, reason: "exit 0")
        case "FAILED":
            return .ended(outcome: .failed, state: .failed, reason: exit?.description ?? "failed (\(reason))")
        case "TIMEOUT":
            return .ended(outcome: .timeout, state: .failed, reason: "exceeded its Slurm time limit (TIMEOUT)")
        case "CANCELLED":
            if reason.hasPrefix("Dependency") {
                return .blocked(reason: "an upstream job did not succeed (Slurm: \(reason))")
            }
            return .ended(outcome: .cancelled, state: .cancelled, reason: "cancelled in Slurm (scancel)")
        case "NODE_FAIL":
            return .ended(outcome: .lost, state: .failed, reason: "its node failed (NODE_FAIL)")
        case "BOOT_FAIL":
            return .ended(outcome: .lost, state: .failed, reason: "its node failed to boot (BOOT_FAIL)")
        case "PREEMPTED":
            return .ended(outcome: .failed, state: .failed, reason: "preempted by a higher-priority job (PREEMPTED)")
        case "OUT_OF_MEMORY":
            return .ended(outcome: .failed, state: .failed, reason: "ran out of memory (OUT_OF_MEMORY); raise 'mem'")
        case "DEADLINE":
            return .ended(outcome: .failed, state: .failed, reason: "missed its deadline (DEADLINE)")
        case "REVOKED":
            return .ended(outcome: .cancelled, state: .cancelled, reason: "revoked by another cluster (REVOKED)")
        default:
            return .waiting(reason: "Slurm state \(state) (\(reason))")
        }
    }

    /// A readable form of a PENDING reason.
    static func pendingReason(_ reason: String) -> String {
        switch reason {
        case "Dependency": "waiting for upstream jobs (Dependency)"
        case "Resources": "waiting for resources (Resources)"
        case "Priority": "waiting for higher-priority jobs (Priority)"
        case "JobArrayTaskLimit": "held back by the array throttle (JobArrayTaskLimit)"
        case "BeginTime": "requeued; waiting to restart (BeginTime)"
        case "JobHeldUser", "JobHeldAdmin": "held (\(reason)); 'scontrol release' lets it run"
        case "None": "waiting in Slurm's queue"
        default: "pending (\(reason))"
        }
    }
}
