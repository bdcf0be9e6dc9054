import AblateCore

/// Reads the git state of a stage's `repo:` when an attempt starts or is submitted, so that each
/// attempt records which code it ran. AblateKit provides the libgit2 one; tests can give a fixed one.
public protocol CodeProvenance: Sendable {
    /// The git state of `repo` (as a stage's `repo:` writes it) now. A path that is not a repository,
    /// or cannot be read, is recorded as not a repository: provenance never stops a sweep.
    func revision(ofRepo repo: String) -> GitRevision
}
