import AblateCore
import AblateGit
import Foundation

/// Records where code came from: the git state of a directory, through libgit2.
public enum Provenance {
    /// The git state of the repository containing `path` (or "not a repository").
    ///
    /// - Throws: `GitError` when a repository exists but cannot be read; callers record it as not a
    ///   repository, since provenance never stops a sweep.
    public static func revision(of path: String) throws -> GitRevision {
        try GitInspector.inspect(path: path)
    }

    /// A stage's `repo:` as a path: `$NAME` and `${NAME}` replaced by environment variables (an unset
    /// one by nothing), relative paths kept relative to the working directory.
    public static func path(
        ofRepo repo: String, environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> String
    {
        var result = ""
        var rest = Substring(repo)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            var after = rest[rest.index(after: dollar)...]
            var name: Substring
            if after.first == "{", let close = after.firstIndex(of: "}") {
                name = after[after.index(after: after.startIndex)..<close]
                after = after[after.index(after: close)...]
            } else {
                let end = after.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") } ?? after.endIndex
                name = after[..<end]
                after = after[end...]
            }
            if name.isEmpty {
                result += "$"
            } else {
                result += environment[String(name)] ?? ""
            }
            rest = after
        }
        return result + rest
    }
}
