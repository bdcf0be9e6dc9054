import Foundation

/// The processes of this machine as the local backend sees them: starting an attempt's supervisor,
/// waiting for it, signalling its process group, telling live processes from gone ones.
///
/// The seam that lets the local runner's decisions (timeouts, retries, blocking, adoption after a
/// crash) be tested without processes: ``SystemProcessHost`` is the real one, `FakeProcessHost` in
/// `AblateTestSupport` plays scripted attempts.
public protocol ProcessHost: Sendable {
    /// This machine's host name (recorded with each attempt).
    var hostName: String { get }

    /// Who this orchestrator is, as job leases record it.
    var orchestrator: OrchestratorIdentity { get }

    /// Starts the supervisor of `request` and returns its process ID (also its process group).
    ///
    /// - Throws: ``ExecutionError`` when it cannot be started at all.
    func launch(_ request: LaunchRequest) throws -> Int32

    /// Calls `body` once the process `pid`, started by ``launch(_:)``, has exited, from whatever thread
    /// saw it (no hop through a task: an exit reaches the run loop at once).
    func onExit(of pid: Int32, _ body: @escaping @Sendable () -> Void)

    /// Whether `pid` is alive and is the supervisor of the attempt in `directory` (not a process that
    /// reused the ID).
    func isSupervisor(_ pid: Int32, directory: URL) -> Bool

    /// Whether the process `pid` exists.
    func isAlive(_ pid: Int32) -> Bool

    /// Sends `signal` to every process of the group `pgid`.
    func signalGroup(_ pgid: Int32, _ signal: Int32)

    /// Whether the orchestrator recorded as a lease holder (`HOST:PID:START`) still runs.
    func isOrchestratorAlive(_ holder: String) -> Bool
}
