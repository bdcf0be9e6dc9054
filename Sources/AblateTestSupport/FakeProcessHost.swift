import AblateCore
import AblateExecution
import AblateLocal
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Processes for unit tests of the local runner: each launch plays a scripted attempt in virtual time
/// on a ``FakeClock``, writing the status files `ablate-wrap` would write, so that timeouts, retries,
/// blocking and adoption after a crash are tested without processes.
public final class FakeProcessHost: ProcessHost, @unchecked Sendable {
    /// What a launched attempt does.
    public enum Behavior: Sendable, Equatable {
        /// Exits with `code` after `seconds`; SIGTERM ends it at once with signal 15.
        case exits(Int32, after: Double)
        /// Like ``exits(_:after:)`` but ignores SIGTERM; only SIGKILL stops it early.
        case ignoresTerm(Int32, after: Double)
        /// Disappears after `seconds` without writing an exit file (its host died).
        case vanishes(after: Double)
    }

    /// One process the host knows.
    public struct Process: Sendable {
        /// Its ID (also its process group).
        public var pid: Int32
        /// Its job directory.
        public var directory: URL
        /// Its attempt number.
        public var attempt: Int
        /// The command it runs.
        public var command: String
        /// What it does.
        public var behavior: Behavior
        /// When it started and when it will end by itself.
        public var startedAt: Date
        /// The end it is heading for.
        public var endsAt: Date
        /// Signals it received, in order.
        public var signals: [Int32] = []
        /// How it ended, once it has (`nil` while alive, or when it vanished).
        public var termination: Termination?
        /// Whether it is still running.
        public var alive = true
    }

    private let lock = NSLock()
    private let clock: FakeClock
    private var nextPID: Int32 = 1000
    private var processes: [Int32: Process] = [:]
    private var waiters: [Int32: [@Sendable () -> Void]] = [:]
    private var liveOrchestrators: Set<String> = []
    private let script: @Sendable (LaunchRequest) -> Behavior

    /// A host on `clock` whose launches behave as `script` says.
    public init(clock: FakeClock, script: @escaping @Sendable (LaunchRequest) -> Behavior) {
        self.clock = clock
        self.script = script
        clock.onAdvance { [weak self] now in self?.advance(to: now) }
    }

    /// `fakehost`.
    public var hostName: String { "fakehost" }

    /// `fakehost:4242:1`, always alive.
    public var orchestrator: OrchestratorIdentity { OrchestratorIdentity(host: "fakehost", pid: 4242, start: 1) }

    /// Every process launched or adopted, by ID.
    public var all: [Int32: Process] { lock.withLock { processes } }

    /// The processes launched so far, in order.
    public var launched: [Process] { lock.withLock { processes.values.sorted { $0.pid < $1.pid } } }

    /// Marks another orchestrator (`HOST:PID:START`) as alive.
    public func setOrchestratorAlive(_ holder: String) { lock.withLock { _ = liveOrchestrators.insert(holder) } }

    /// Adds a process that a previous orchestrator started (for adoption tests).
    public func adopt(pid: Int32, directory: URL, attempt: Int, behavior: Behavior) {
        let now = clock.now
        lock.withLock {
            processes[pid] = Process(
                pid: pid, directory: directory, attempt: attempt, command: "", behavior: behavior, startedAt: now,
                endsAt: now.addingTimeInterval(Self.duration(behavior)))
        }
        writeStart(pid: pid, directory: directory, attempt: attempt, at: now)
    }

    /// Starts a scripted process: writes its start file now; it ends when the clock passes its end.
    public func launch(_ request: LaunchRequest) throws -> Int32 {
        let behavior = script(request)
        let now = clock.now
        let pid = lock.withLock { () -> Int32 in
            nextPID += 1
            processes[nextPID] = Process(
                pid: nextPID, directory: request.directory, attempt: request.attempt, command: request.command,
                behavior: behavior, startedAt: now, endsAt: now.addingTimeInterval(Self.duration(behavior)))
            return nextPID
        }
        writeStart(pid: pid, directory: request.directory, attempt: request.attempt, at: now)
        return pid
    }

    /// Calls `body` once the fake process has ended (at once if it has).
    public func onExit(of pid: Int32, _ body: @escaping @Sendable () -> Void) {
        let done = lock.withLock { () -> Bool in
            guard processes[pid]?.alive == true else { return true }
            waiters[pid, default: []].append(body)
            return false
        }
        if done { body() }
    }

    /// Whether the process is alive and runs the attempt in `directory`.
    public func isSupervisor(_ pid: Int32, directory: URL) -> Bool {
        lock.withLock { processes[pid].map { $0.alive && $0.directory.path == directory.path } ?? false }
    }

    /// Whether the process is alive.
    public func isAlive(_ pid: Int32) -> Bool { lock.withLock { processes[pid]?.alive ?? false } }

    /// Records the signal; SIGTERM ends the process unless it ignores it, SIGKILL always.
    public func signalGroup(_ pgid: Int32, _ signal: Int32) {
        let ended = lock.withLock { () -> Bool in
            guard var process = processes[pgid], process.alive else { return false }
            process.signals.append(signal)
            processes[pgid] = process
            if case .ignoresTerm = process.behavior, signal == SIGTERM { return false }
            return signal == SIGTERM || signal == SIGKILL
        }
        if ended { end(pgid, .signaled(signal), at: clock.now) }
    }

    /// This host's own orchestrator, and those marked with ``setOrchestratorAlive(_:)``.
    public func isOrchestratorAlive(_ holder: String) -> Bool {
        holder == orchestrator.description || lock.withLock { liveOrchestrators.contains(holder) }
    }

    private func advance(to now: Date) {
        let due = lock.withLock { processes.values.filter { $0.alive && $0.endsAt <= now }.map(\.pid) }
        for pid in due.sorted() {
            guard let behavior = lock.withLock({ processes[pid]?.behavior }) else { continue }
            switch behavior {
            case .exits(let code, _), .ignoresTerm(let code, _): end(pid, .exited(code), at: now)
            case .vanishes: end(pid, nil, at: now)
            }
        }
    }

    /// Ends a process: its exit file first (unless it vanished), then whoever waits for it.
    private func end(_ pid: Int32, _ termination: Termination?, at now: Date) {
        let (process, continuations) = lock.withLock { () -> (Process?, [@Sendable () -> Void]) in
            guard var process = processes[pid], process.alive else { return (nil, []) }
            process.alive = false
            process.termination = termination
            processes[pid] = process
            return (process, waiters.removeValue(forKey: pid) ?? [])
        }
        guard let process else { return }
        if let termination {
            let field =
                termination.exitCode.map { "\"exit_code\": \($0)" } ?? "\"signal\": \(termination.signal ?? 0)"
            write(
                "{\(field), \"ended_at\": \(now.timeIntervalSince1970)}", to: process.directory,
                name: "\(process.attempt).exit.json")
        }
        for continuation in continuations { continuation() }
    }

    private func writeStart(pid: Int32, directory: URL, attempt: Int, at now: Date) {
        write(
            "{\"wrapper_pid\": \(pid), \"pid\": \(pid + 1), \"host\": \"fakehost\", \"started_at\": \(now.timeIntervalSince1970)}",
            to: directory, name: "\(attempt).start.json")
    }

    private func write(_ text: String, to directory: URL, name: String) {
        let attempts = directory.appendingPathComponent(".ablate/attempts")
        try? FileManager.default.createDirectory(at: attempts, withIntermediateDirectories: true)
        try? Data(text.utf8).write(to: attempts.appendingPathComponent(name), options: .atomic)
    }

    private static func duration(_ behavior: Behavior) -> Double {
        switch behavior {
        case .exits(_, let after), .ignoresTerm(_, let after), .vanishes(let after): after
        }
    }
}
