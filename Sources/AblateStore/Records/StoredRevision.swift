/// A git revision as the store keeps it (the store does not depend on libgit2; AblateKit converts).
public struct StoredRevision: Sendable, Hashable {
    /// The directory that was inspected.
    public var path: String
    /// Whether it is inside a git repository.
    public var isRepository: Bool
    /// The work-tree root.
    public var root: String?
    /// The HEAD commit's full SHA-1.
    public var commit: String?
    /// The checked-out branch, `nil` when detached.
    public var branch: String?
    /// Whether anything differs from HEAD (untracked files included).
    public var dirty: Bool
    /// `git diff HEAD` as a patch.
    public var diff: String
    /// Untracked files, relative to the root.
    public var untracked: [String]

    /// Creates a revision record.
    public init(
        path: String, isRepository: Bool, root: String? = nil, commit: String? = nil, branch: String? = nil,
        dirty: Bool = false, diff: String = "", untracked: [String] = []
    ) {
        self.path = path
        self.isRepository = isRepository
        self.root = root
        self.commit = commit
        self.branch = branch
        self.dirty = dirty
        self.diff = diff
        self.untracked = untracked
    }
}
