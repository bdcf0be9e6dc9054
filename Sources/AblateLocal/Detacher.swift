import AblateExecution
import Foundation

/// Starts a shell command in a new session, detached from this process and its terminal.
public enum Detacher {
    /// Starts `command` with `/bin/sh -c` and returns its process ID.
    public static func start(command: String) throws -> Int32 {
        try SystemProcessHost.spawn(
            arguments: ["/bin/sh", "-c", command],
            environment: ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" })
    }
}
