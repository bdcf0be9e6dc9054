import AblateCore
import Foundation

/// The status files `ablate-wrap` writes into `JOBDIR/.ablate/attempts/`: `N.start.json` when the
/// command starts and `N.exit.json` when it ends.
public struct AttemptStatus: Sendable, Equatable {
    /// The supervisor's process ID (also its process group and session).
    public var wrapperPID: Int32?
    /// The command's process ID.
    public var pid: Int32?
    /// The host it runs on.
    public var host: String?
    /// When the command started.
    public var startedAt: Date?
    /// How it ended, once it has.
    public var termination: Termination?
    /// When it ended.
    public var endedAt: Date?

    /// A status with nothing known yet.
    public init() {}

    /// Reads attempt `number`'s status files in `directory`; `nil` when the attempt never started.
    public static func read(directory: URL, attempt number: Int) -> AttemptStatus? {
        let attempts = JobDirectory(url: directory).attempts
        let start = object(attempts.appendingPathComponent("\(number).start.json"))
        let exit = object(attempts.appendingPathComponent("\(number).exit.json"))
        guard start != nil || exit != nil else { return nil }
        var status = AttemptStatus()
        if let start {
            status.wrapperPID = start["wrapper_pid"]?.intValue.map(Int32.init)
            status.pid = start["pid"]?.intValue.map(Int32.init)
            status.host = start["host"]?.stringValue
            status.startedAt = start["started_at"]?.numberValue.map(Date.init(timeIntervalSince1970:))
        }
        if let exit {
            if let code = exit["exit_code"]?.intValue {
                status.termination = .exited(Int32(code))
            } else if let signal = exit["signal"]?.intValue {
                status.termination = .signaled(Int32(signal))
            }
            status.endedAt = exit["ended_at"]?.numberValue.map(Date.init(timeIntervalSince1970:))
        }
        return status
    }

    private static func object(_ url: URL) -> [String: ParamValue]? {
        guard let data = FileManager.default.contents(atPath: url.path),
            case .object(let members)? = try? JSONParser.parse(String(decoding: data, as: UTF8.self))
        else { return nil }
        return members
    }
}
