/// Whether a job can run now: the one readiness rule every backend applies.
///
/// A job that already succeeded is reused; a job with an upstream job that ended without success is
/// blocked; a job whose upstream jobs all succeeded is ready; otherwise it waits. The local backend
/// starts ready jobs; the Slurm backend also submits waiting jobs whose upstream jobs are in Slurm,
/// with a dependency on them.
public enum JobReadiness: Sendable, Hashable {
    /// The job already succeeded (in any sweep): reuse its output.
    case reuse
    /// Every upstream job succeeded.
    case ready
    /// Some upstream job has not ended yet.
    case wait
    /// The upstream job at this index ended without success (failed, cancelled or blocked).
    case blocked(upstream: Int)

    /// The readiness of a job in `state` whose upstream jobs are in `upstream`, in declaration order.
    public static func of(_ state: JobState, upstream: [JobState]) -> JobReadiness {
        if state == .succeeded { return .reuse }
        if let index = upstream.firstIndex(where: { $0.isFinal && $0 != .succeeded }) {
            return .blocked(upstream: index)
        }
        return upstream.allSatisfy { $0 == .succeeded } ? .ready : .wait
    }
}
