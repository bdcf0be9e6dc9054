/// The state of the code in a directory when a job ran: which commit, which branch, and what was
/// changed on top of it. `AblateGit` reads it through libgit2; the results database stores it
/// (deduplicated) for sweeps' specs and for each attempt's `repo:`.
public struct GitRevision: Sendable, Hashable, Codable {
    /// The directory that was inspected, as given.
    public var path: String
    /// Whether `path` is inside a git repository. When `false`, every other field is empty.
    public var isRepository: Bool
    /// The repository's work-tree root.
    public var root: String?
    /// The full SHA-1 of HEAD; `nil` in a repository with no commits yet.
    public var commit: String?
    /// The checked-out branch (`main`); `nil` when HEAD is detached.
    public var branch: String?
    /// Whether the work tree or index differs from HEAD, or has untracked files.
    public var dirty: Bool
    /// The patch of the work tree and index against HEAD (`git diff HEAD`), empty when clean.
    public var diff: String
    /// Untracked files (not ignored), relative to the root.
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

    /// The record for a directory that is not in a git repository.
    public static func notARepository(_ path: String) -> GitRevision {
        GitRevision(path: path, isRepository: false)
    }
}
