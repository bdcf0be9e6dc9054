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
        scan(repo, text: { result += $0 }, variable: { result += environment[$0] ?? "" })
        return result
    }

    /// The names of the `$NAME` and `${NAME}` references in `path`, as ``path(ofRepo:environment:)``
    /// reads them.
    public static func variables(in path: String) -> [String] {
        var names: [String] = []
        scan(path, text: { _ in }, variable: { names.append($0) })
        return names
    }

    /// Walks `text`: its literal parts to `text`, each `$NAME` or `${NAME}` reference's name to
    /// `variable` (a `$` without a name is literal).
    private static func scan(_ input: String, text: (Substring) -> Void, variable: (String) -> Void) {
        var rest = Substring(input)
        while let dollar = rest.firstIndex(of: "$") {
            text(rest[..<dollar])
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
                text("$")
            } else {
                variable(String(name))
            }
            rest = after
        }
        text(rest)
    }
}
