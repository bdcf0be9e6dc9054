import AblateGit
import AblateStore
import Foundation

/// Records where code came from: the git state of a directory, as the store keeps it.
public enum Provenance {
    /// The git state of the repository containing `path` (or "not a repository").
    ///
    /// A repository that exists but cannot be read is recorded as not a repository with the reason
    /// logged by the caller; provenance never stops a sweep.
    public static func revision(of path: String) throws -> StoredRevision {
        let revision = try GitInspector.inspect(path: path)
        return StoredRevision(
            path: path, isRepository: revision.isRepository, root: revision.root, commit: revision.commit,
            branch: revision.branch, dirty: revision.dirty, diff: revision.diff, untracked: revision.untracked)
    }
}
