import AblateKit
import Testing

@testable import ablate

@Suite struct StatusReportTests {
    static func row(_ stage: String, _ key: String, _ state: JobState, _ reason: String? = nil) -> SweepJobRow {
        SweepJobRow(
            sweep: "s", stage: stage, stagePosition: stage == "pretrain" ? 0 : 1, key: key, state: state,
            reason: reason, outputDir: "/w/\(key)", attempts: 1)
    }

    @Test func countsStatesAndSaysWhyQueuedJobsWaitAndWhatFailed() {
        let text = StatusReport.text([
            Self.row("pretrain", "a1", .running),
            Self.row("pretrain", "a2", .queued, "held back by the array throttle (JobArrayTaskLimit)"),
            Self.row("eval", "b1", .queued, "waiting for upstream jobs (Dependency)"),
            Self.row("eval", "b2", .queued, "waiting for upstream jobs (Dependency)"),
            Self.row("eval", "b3", .failed, "exit 3"),
        ])
        #expect(
            text == """
                sweep 's': 0/5 jobs succeeded
                  pretrain: 1 running, 1 queued
                    queued: 1 held back by the array throttle (JobArrayTaskLimit)
                  eval: 2 queued, 1 failed
                    queued: 2 waiting for upstream jobs (Dependency)
                  failed eval b3: exit 3 — log: /w/b3/.ablate/stderr.log
                """)
    }
}
