import AblateExecution
import Foundation

/// Who holds a job's lease: `HOST:PID:START`, where START tells the process apart from a later one
/// with the same ID.
public struct OrchestratorIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The host name.
    public var host: String
    /// The process ID.
    public var pid: Int32
    /// The process's start time in clock ticks since boot.
    public var start: UInt64

    /// This process.
    public static var current: OrchestratorIdentity {
        let pid = getpid()
        return OrchestratorIdentity(host: ProcessControl.hostName, pid: pid, start: ProcessControl.startTicks(pid) ?? 0)
    }

    /// Parses `HOST:PID:START`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 3, let pid = Int32(parts[1]), let start = UInt64(parts[2]) else { return nil }
        self.init(host: String(parts[0]), pid: pid, start: start)
    }

    /// Creates an identity.
    public init(host: String, pid: Int32, start: UInt64) {
        self.host = host
        self.pid = pid
        self.start = start
    }

    /// `HOST:PID:START`.
    public var description: String { "\(host):\(pid):\(start)" }

    /// Whether the lease holder `text` is still running. Holders on other hosts are trusted (their
    /// leases expire instead); on this host the process must exist with the same start time.
    public static func isAlive(_ text: String) -> Bool {
        guard let identity = OrchestratorIdentity(text) else { return false }
        guard identity.host == ProcessControl.hostName else { return true }
        return ProcessControl.isAlive(identity.pid) && ProcessControl.startTicks(identity.pid) == identity.start
    }
}
