import AblateCore
import Testing

/// The one readiness rule both backends apply.
@Suite struct JobReadinessTests {
    @Test(arguments: [
        (JobState.new, [JobState](), JobReadiness.ready),
        (.new, [.succeeded, .succeeded], .ready),
        (.queued, [.succeeded], .ready),
        (.failed, [.succeeded], .ready),
        (.new, [.succeeded, .running], .wait),
        (.new, [.queued], .wait),
        (.new, [.new, .succeeded], .wait),
        (.new, [.succeeded, .failed], .blocked(upstream: 1)),
        (.new, [.cancelled, .failed], .blocked(upstream: 0)),
        (.new, [.running, .blocked], .blocked(upstream: 1)),
        (.succeeded, [.failed], .reuse),
        (.succeeded, [], .reuse),
    ])
    func decides(state: JobState, upstream: [JobState], expected: JobReadiness) {
        #expect(JobReadiness.of(state, upstream: upstream) == expected)
    }
}
