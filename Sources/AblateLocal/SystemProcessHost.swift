import AblateExecution
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The real processes of this machine.
///
/// Each attempt's supervisor is started with `posix_spawn` in a new session (so it is its own process
/// group, outlives a killed orchestrator and ignores the terminal's Ctrl-C), with an empty signal mask
/// and default signal handlers (threads run by libdispatch block most signals, and a child would
/// otherwise inherit that mask and ignore SIGTERM), and with every file descriptor above 2 closed.
public struct SystemProcessHost: ProcessHost {
    /// The `ablate-wrap` executable.
    public let wrapper: String

    /// Uses `ablate-wrap` at `wrapper`, else where ``WrapperLocation`` finds it.
    public init(wrapper: String? = nil) {
        self.wrapper = wrapper ?? WrapperLocation.resolve()
    }

    /// This machine's host name.
    public var hostName: String { ProcessControl.hostName }

    /// This process, as leases record it.
    public var orchestrator: OrchestratorIdentity { .current }

    /// Starts the supervisor for `request`.
    public func launch(_ request: LaunchRequest) throws -> Int32 {
        guard FileManager.default.isExecutableFile(atPath: wrapper) else {
            throw ExecutionError.missingWrapper(wrapper)
        }
        let arguments = [wrapper, request.directory.path, String(request.attempt), request.command]
        let environment = request.environment.map { "\($0.key)=\($0.value)" }
        return try Self.spawn(arguments: arguments, environment: environment)
    }

    /// Waits for our own child on a dedicated thread (never on the cooperative pool).
    public func onExit(of pid: Int32, _ body: @escaping @Sendable () -> Void) {
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            body()
        }
    }

    /// Whether `pid` is a live `ablate-wrap` whose command line names `directory`.
    public func isSupervisor(_ pid: Int32, directory: URL) -> Bool {
        guard ProcessControl.isAlive(pid), let commandLine = ProcessControl.commandLine(pid) else { return false }
        return commandLine.contains("ablate-wrap") && commandLine.contains(directory.path)
    }

    /// Whether `pid` exists and is not a zombie.
    public func isAlive(_ pid: Int32) -> Bool { ProcessControl.isAlive(pid) }

    /// `kill(-pgid, signal)`.
    public func signalGroup(_ pgid: Int32, _ signal: Int32) { ProcessControl.signalGroup(pgid, signal) }

    /// Whether the lease holder still runs (see ``OrchestratorIdentity/isAlive(_:)``).
    public func isOrchestratorAlive(_ holder: String) -> Bool { OrchestratorIdentity.isAlive(holder) }

    /// Marks every open descriptor above 2 close-on-exec, so that nothing of ours leaks into a job: not
    /// the database, not a pipe that a parent process reads until every writer has gone.
    static func markDescriptorsCloseOnExec() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for entry in entries {
            guard let fd = Int32(entry), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// `POSIX_SPAWN_SETSID` (glibc 2.26+), which the Swift Glibc module does not export.
    private static let setSessionFlag: Int32 = 0x80

    static func spawn(arguments: [String], environment: [String]) throws -> Int32 {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF) | setSessionFlag
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        markDescriptorsCloseOnExec()

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard result == 0 else { throw ExecutionError.spawnFailed(arguments[0], code: result) }
        return pid
    }
}
