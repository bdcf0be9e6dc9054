import Foundation

/// Where the `ablate-wrap` supervisor is: `$ABLATE_WRAP`, else next to the running executable (both
/// products are built into the same directory).
public enum WrapperLocation {
    /// The path to use.
    public static func resolve(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let path = environment["ABLATE_WRAP"], !path.isEmpty { return path }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("ablate-wrap").path
    }
}
