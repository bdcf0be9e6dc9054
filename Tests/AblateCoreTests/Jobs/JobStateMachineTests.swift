import Testing

@testable import AblateCore

@Suite struct JobStateMachineTests {
    @Test func successOnFirstAttempt() {
        var job = JobStateMachine()
        #expect(job.handle(.start) == [.setState(.running, reason: nil), .launch(attempt: 1)])
        #expect(
            job.handle(.ended(.exited(0))) == [
                .recordAttempt(outcome: .succeeded, reason: "exit 0"), .setState(.succeeded, reason: nil),
            ])
        #expect(job.state == .succeeded)
        #expect(job.handle(.start) == [])
        #expect(job.handle(.cancel) == [])
    }

    @Test(arguments: [Termination.exited(3), .signaled(9)])
    func failureWithoutRetriesIsFinal(termination: Termination) {
        var job = JobStateMachine()
        _ = job.handle(.start)
        #expect(
            job.handle(.ended(termination)) == [
                .recordAttempt(outcome: .failed, reason: termination.description),
                .setState(.failed, reason: termination.description),
            ])
        #expect(job.state == .failed)
    }

    @Test func retriesThenSucceeds() {
        var job = JobStateMachine(retries: 2)
        _ = job.handle(.start)
        #expect(
            job.handle(.ended(.exited(3))) == [
                .recordAttempt(outcome: .failed, reason: "exit 3"),
                .setState(.queued, reason: "retry 1 of 2 after exit 3"),
            ])
        #expect(job.handle(.start) == [.setState(.running, reason: nil), .launch(attempt: 2)])
        _ = job.handle(.ended(.signaled(11)))
        #expect(job.state == .queued)
        _ = job.handle(.start)
        #expect(job.attempt == 3)
        _ = job.handle(.ended(.exited(0)))
        #expect(job.state == .succeeded)
    }

    @Test func retriesAreUsedUp() {
        var job = JobStateMachine(retries: 1)
        _ = job.handle(.start)
        _ = job.handle(.ended(.exited(1)))
        _ = job.handle(.start)
        #expect(
            job.handle(.ended(.exited(1))) == [
                .recordAttempt(outcome: .failed, reason: "exit 1"), .setState(.failed, reason: "exit 1"),
            ])
    }

    @Test func timeoutTerminatesOnceThenCountsAsAFailure() {
        var job = JobStateMachine(retries: 1)
        _ = job.handle(.start)
        #expect(job.handle(.timedOut) == [.terminate])
        #expect(job.handle(.timedOut) == [])
        #expect(
            job.handle(.ended(.signaled(15))) == [
                .recordAttempt(outcome: .timeout, reason: "timed out (signal 15 after termination)"),
                .setState(.queued, reason: "retry 1 of 1 after timed out (signal 15 after termination)"),
            ])
    }

    @Test func cancelWhileRunningTerminatesAndEndsCancelled() {
        var job = JobStateMachine(retries: 3)
        _ = job.handle(.start)
        #expect(job.handle(.cancel) == [.terminate])
        #expect(job.handle(.cancel) == [])
        #expect(
            job.handle(.ended(.signaled(15))) == [
                .recordAttempt(outcome: .cancelled, reason: "cancelled (signal 15)"),
                .setState(.cancelled, reason: "cancelled on request"),
            ])
        #expect(job.state == .cancelled)
    }

    @Test func cancelDuringATimeoutTerminationWins() {
        var job = JobStateMachine()
        _ = job.handle(.start)
        _ = job.handle(.timedOut)
        #expect(job.handle(.cancel) == [])
        _ = job.handle(.ended(.exited(143)))
        #expect(job.state == .cancelled)
    }

    @Test func cancelBeforeStartAndUpstreamFailure() {
        var waiting = JobStateMachine()
        #expect(waiting.handle(.cancel) == [.setState(.cancelled, reason: "cancelled before it started")])
        var downstream = JobStateMachine(state: .queued)
        #expect(
            downstream.handle(.upstreamFailed("pretrain 0123456789ab")) == [
                .setState(.blocked, reason: "upstream job pretrain 0123456789ab did not succeed")
            ])
        #expect(downstream.handle(.start) == [])
    }

    @Test func aLostAttemptRunsAgainWithoutUsingARetry() {
        var job = JobStateMachine(state: .running, attempt: 1, retries: 0)
        #expect(
            job.handle(.lost) == [
                .recordAttempt(outcome: .lost, reason: "the process vanished without an exit status"),
                .setState(.queued, reason: "re-running a lost attempt"),
            ])
        #expect(job.handle(.start) == [.setState(.running, reason: nil), .launch(attempt: 2)])
        _ = job.handle(.ended(.exited(0)))
        #expect(job.state == .succeeded)
    }

    @Test func eventsThatDoNotApplyDoNothing() {
        for state in [JobState.succeeded, .failed, .cancelled, .blocked] {
            var job = JobStateMachine(state: state, attempt: 1)
            for event in [
                JobStateMachine.Event.start, .ended(.exited(0)), .timedOut, .lost, .cancel, .upstreamFailed("x"),
            ] {
                #expect(job.handle(event) == [], "\(state) \(event)")
            }
            #expect(job.state == state)
        }
        var fresh = JobStateMachine()
        #expect(fresh.handle(.ended(.exited(0))) == [])
        #expect(fresh.handle(.timedOut) == [])
    }
}
