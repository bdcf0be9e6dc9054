/// The lifecycle of one job as a pure state machine: events in, actions out. The orchestrator performs
/// the actions (start a process, send signals, write the database); nothing here does I/O.
///
/// ```
/// new ──start──▶ running ──exit 0──▶ succeeded
///  │               │ exit≠0 / signal / timeout ──▶ queued (retries left) ──start──▶ running …
///  │               │                          └──▶ failed (no retries left)
///  │               └─cancel──▶ (terminating) ──exit──▶ cancelled
///  └─upstream failed/cancelled──▶ blocked
/// ```
public struct JobStateMachine: Sendable, Hashable {
    /// Something that happened to the job.
    public enum Event: Sendable, Hashable {
        /// The scheduler chose the job to run now.
        case start
        /// The running attempt's process ended.
        case ended(Termination)
        /// The running attempt exited 0 without what its stage `produces`; the reason says what is missing.
        case incomplete(String)
        /// The running attempt ran past its time limit.
        case timedOut
        /// The running attempt's process vanished without an exit status (its host or supervisor died).
        case lost
        /// A user asked to stop the job.
        case cancel
        /// An upstream job failed, was cancelled or was blocked.
        case upstreamFailed(String)
        /// The checkpoint the job runs on will never be ready (the training ended without it, or it was
        /// deleted); the reason says which.
        case checkpointMissing(String)
    }

    /// What the orchestrator must do.
    public enum Action: Sendable, Hashable {
        /// Start attempt number `attempt`.
        case launch(attempt: Int)
        /// Send SIGTERM to the attempt's process group, then SIGKILL after the grace period.
        case terminate
        /// Record how the attempt ended: its outcome and the reason.
        case recordAttempt(outcome: AttemptState, reason: String)
        /// Record the job's new state.
        case setState(JobState, reason: String?)
    }

    /// The job's state.
    public private(set) var state: JobState
    /// The number of the latest attempt (0 before the first).
    public private(set) var attempt: Int
    /// How many failed attempts may be retried.
    public let retries: Int
    /// Why the running attempt is being terminated, if it is.
    public private(set) var terminating: Termination.Reason?

    /// A job in `state` whose latest attempt is `attempt`, with `failures` failed attempts so far.
    public init(state: JobState = .new, attempt: Int = 0, retries: Int = 0, failures: Int = 0) {
        self.state = state
        self.attempt = attempt
        self.retries = retries
        self.failures = failures
    }

    /// Failed attempts so far that count against `retries`.
    public private(set) var failures = 0

    /// Applies `event` and returns the actions to perform, in order. Events that do not apply in the
    /// current state (a second `cancel`, an exit after the job settled) return no actions.
    public mutating func handle(_ event: Event) -> [Action] {
        switch (state, event) {
        case (.new, .start), (.queued, .start):
            attempt += 1
            state = .running
            terminating = nil
            return [.setState(.running, reason: nil), .launch(attempt: attempt)]

        case (.new, .upstreamFailed(let upstream)), (.queued, .upstreamFailed(let upstream)):
            state = .blocked
            return [.setState(.blocked, reason: "upstream job \(upstream) did not succeed")]

        case (.new, .checkpointMissing(let reason)), (.queued, .checkpointMissing(let reason)):
            state = .blocked
            return [.setState(.blocked, reason: reason)]

        case (.new, .cancel), (.queued, .cancel):
            state = .cancelled
            return [.setState(.cancelled, reason: "cancelled before it started")]

        case (.running, .timedOut):
            guard terminating == nil else { return [] }
            terminating = .timeout
            return [.terminate]

        case (.running, .cancel):
            guard terminating != .cancel else { return [] }
            let alreadyTerminating = terminating != nil
            terminating = .cancel
            return alreadyTerminating ? [] : [.terminate]

        case (.running, .ended(let termination)):
            switch terminating {
            case .cancel?:
                state = .cancelled
                terminating = nil
                return [
                    .recordAttempt(outcome: .cancelled, reason: "cancelled (\(termination))"),
                    .setState(.cancelled, reason: "cancelled on request"),
                ]
            case .timeout?:
                terminating = nil
                return failed(outcome: .timeout, reason: "timed out (\(termination) after termination)")
            case nil:
                if termination.isSuccess {
                    state = .succeeded
                    return [.recordAttempt(outcome: .succeeded, reason: "exit 0"), .setState(.succeeded, reason: nil)]
                }
                return failed(outcome: .failed, reason: termination.description)
            }

        case (.running, .incomplete(let reason)):
            guard terminating == nil else { return handle(.ended(.exited(0))) }
            return failed(outcome: .failed, reason: reason)

        case (.running, .lost):
            // A vanished attempt is not the job's fault: run it again without using a retry.
            let wasCancelling = terminating == .cancel
            terminating = nil
            if wasCancelling {
                state = .cancelled
                return [
                    .recordAttempt(outcome: .cancelled, reason: "process vanished while cancelling"),
                    .setState(.cancelled, reason: "cancelled on request"),
                ]
            }
            state = .queued
            return [
                .recordAttempt(outcome: .lost, reason: "the process vanished without an exit status"),
                .setState(.queued, reason: "re-running a lost attempt"),
            ]

        default:
            return []
        }
    }

    private mutating func failed(outcome: AttemptState, reason: String) -> [Action] {
        failures += 1
        if failures <= retries {
            state = .queued
            return [
                .recordAttempt(outcome: outcome, reason: reason),
                .setState(.queued, reason: "retry \(failures) of \(retries) after \(reason)"),
            ]
        }
        state = .failed
        return [.recordAttempt(outcome: outcome, reason: reason), .setState(.failed, reason: reason)]
    }
}

extension Termination {
    /// Why an attempt is being terminated.
    public enum Reason: String, Sendable, Hashable {
        /// It ran past its time limit.
        case timeout
        /// A user asked to stop it.
        case cancel
    }
}
