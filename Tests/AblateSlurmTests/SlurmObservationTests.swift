import AblateCore
import AblateExecution
import Testing

@testable import AblateSlurm

@Suite struct SlurmObservationTests {
    @Test(
        arguments: [
            ("PENDING", "Dependency", nil, SlurmObservation.waiting(reason: "waiting for upstream jobs (Dependency)")),
            ("PENDING", "Resources", nil, .waiting(reason: "waiting for resources (Resources)")),
            (
                "PENDING", "JobArrayTaskLimit", nil,
                .waiting(reason: "held back by the array throttle (JobArrayTaskLimit)")
            ),
            ("PENDING", "BeginTime", nil, .waiting(reason: "requeued; waiting to restart (BeginTime)")),
            ("PENDING", "QOSMaxJobsPerUserLimit", nil, .waiting(reason: "pending (QOSMaxJobsPerUserLimit)")),
            (
                "PENDING", "DependencyNeverSatisfied", nil,
                .blocked(reason: "an upstream job did not succeed (Slurm: DependencyNeverSatisfied)")
            ),
            ("REQUEUED", "None", nil, .waiting(reason: "requeued; waiting to restart")),
            ("RUNNING", "None", nil, .running),
            ("COMPLETING", "None", nil, .running),
            (
                "COMPLETED", "None", Termination.exited(0),
                .ended(outcome: .succeeded, state: .succeeded, reason: "exit 0")
            ),
            ("FAILED", "NonZeroExitCode", .exited(3), .ended(outcome: .failed, state: .failed, reason: "exit 3")),
            ("FAILED", "NonZeroExitCode", .signaled(9), .ended(outcome: .failed, state: .failed, reason: "signal 9")),
            (
                "TIMEOUT", "TimeLimit", .exited(143),
                .ended(outcome: .timeout, state: .failed, reason: "exceeded its Slurm time limit (TIMEOUT)")
            ),
            (
                "CANCELLED", "None", .signaled(15),
                .ended(outcome: .cancelled, state: .cancelled, reason: "cancelled in Slurm (scancel)")
            ),
            (
                "CANCELLED", "DependencyNeverSatisfied", nil,
                .blocked(reason: "an upstream job did not succeed (Slurm: DependencyNeverSatisfied)")
            ),
            ("NODE_FAIL", "None", nil, .ended(outcome: .lost, state: .failed, reason: "its node failed (NODE_FAIL)")),
            (
                "PREEMPTED", "None", nil,
                .ended(outcome: .failed, state: .failed, reason: "preempted by a higher-priority job (PREEMPTED)")
            ),
            (
                "OUT_OF_MEMORY", "OutOfMemory", .signaled(9),
                .ended(outcome: .failed, state: .failed, reason: "ran out of memory (OUT_OF_MEMORY); raise 'mem'")
            ),
        ] as [(String, String, Termination?, SlurmObservation)])
    func mapsSlurmStates(state: String, reason: String, exit: Termination?, expected: SlurmObservation) {
        #expect(SlurmObservation.observe(state: state, reason: reason, exit: exit) == expected)
    }

    @Test func settlesJobsTheControllerForgotFromStatusFiles() {
        var status = AttemptStatus()
        #expect(
            SlurmSync.settleFromFiles(nil, slurmID: "12")
                == .ended(outcome: .lost, state: .new, reason: "Slurm no longer knows job 12 and it never started"))
        status.startedAt = .init(timeIntervalSince1970: 1)
        #expect(
            SlurmSync.settleFromFiles(status, slurmID: "12")
                == .ended(
                    outcome: .lost, state: .new,
                    reason: "Slurm no longer knows job 12; it started but left no exit status"))
        status.termination = .exited(0)
        #expect(
            SlurmSync.settleFromFiles(status, slurmID: "12")
                == .ended(outcome: .succeeded, state: .succeeded, reason: "exit 0"))
        status.termination = .exited(3)
        #expect(
            SlurmSync.settleFromFiles(status, slurmID: "12_4")
                == .ended(
                    outcome: .failed, state: .failed,
                    reason: "exit 3 (from its status files; Slurm no longer knows job 12_4)"))
    }
}
