import AblateStore
import Foundation

/// Where the results database is: `--db PATH`, else `$ABLATE_DB`, else `.ablate/ablate.db` under the
/// working directory.
public enum DatabaseLocation {
    /// The path to use.
    public static func resolve(
        option: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> String
    {
        if let option, !option.isEmpty { return option }
        if let path = environment["ABLATE_DB"], !path.isEmpty { return path }
        return ResultStore.defaultPath
    }
}
