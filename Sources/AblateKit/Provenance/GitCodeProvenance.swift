import AblateCore
import AblateExecution
import Foundation

/// The backends' ``CodeProvenance``: reads a stage's `repo:` with libgit2.
public struct GitCodeProvenance: CodeProvenance {
    /// Creates the reader.
    public init() {}

    /// The git state of `repo` (environment variables expanded) now; not a repository when it cannot be read.
    public func revision(ofRepo repo: String) -> GitRevision {
        let path = Provenance.path(ofRepo: repo)
        return (try? Provenance.revision(of: path)) ?? .notARepository(path)
    }
}
