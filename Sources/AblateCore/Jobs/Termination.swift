/// How a job's process ended: an exit code or a signal. A non-zero exit is a result, not an error.
public enum Termination: Sendable, Hashable, CustomStringConvertible {
    /// The process exited with this code.
    case exited(Int32)
    /// The process was killed by this signal.
    case signaled(Int32)

    /// Whether the job succeeded (exit code 0).
    public var isSuccess: Bool { self == .exited(0) }

    /// The exit code, if the process exited.
    public var exitCode: Int32? {
        if case .exited(let code) = self { code } else { nil }
    }

    /// The signal, if the process was killed by one.
    public var signal: Int32? {
        if case .signaled(let signal) = self { signal } else { nil }
    }

    /// `exit 3` or `signal 9`.
    public var description: String {
        switch self {
        case .exited(let code): "exit \(code)"
        case .signaled(let signal): "signal \(signal)"
        }
    }
}
