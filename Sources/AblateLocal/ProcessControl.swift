import AblateExecution
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Process-level helpers: liveness, start times, signals to process groups.
public enum ProcessControl {
    /// Whether a process with `pid` exists (and is not a zombie).
    public static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0, errno == ESRCH { return false }
        if let state = statField(pid, index: 2), state == "Z" { return false }
        return true
    }

    /// The process's start time in clock ticks since boot (field 22 of `/proc/PID/stat`), which tells a
    /// process apart from a later one that reuses its ID.
    public static func startTicks(_ pid: Int32) -> UInt64? {
        statField(pid, index: 21).flatMap { UInt64($0) }
    }

    /// The process's command line, arguments separated by spaces.
    public static func commandLine(_ pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
        return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
    }

    /// Sends `signal` to every process of the group `pgid`.
    @discardableResult
    public static func signalGroup(_ pgid: Int32, _ signal: Int32) -> Bool {
        guard pgid > 1 else { return false }
        return kill(-pgid, signal) == 0
    }

    /// This machine's host name.
    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, 255)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func statField(_ pid: Int32, index: Int) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        // The command name (field 2) may contain spaces; fields after it follow the last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let rest = text[text.index(after: close)...].split(separator: " ")
        // rest[0] is field 3 (state).
        let position = index - 2
        return position >= 0 && position < rest.count ? String(rest[position]) : nil
    }
}
