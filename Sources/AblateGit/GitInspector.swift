import AblateCore
internal import CLibGit2
import Foundation

/// Reads the git state of a directory through libgit2: commit, branch, dirty flag, diff and
/// untracked files. A directory outside any repository is recorded as such, not an error.
///
/// ```swift
/// let revision = try GitInspector.inspect(path: "/path/to/ProLong")
/// print(revision.commit ?? "no commit", revision.dirty)
/// ```
public enum GitInspector {
    private static let initialized: Bool = {
        git_libgit2_init()
        return true
    }()

    /// Inspects the repository containing `path` (searching upwards).
    ///
    /// - Throws: ``GitError`` when the repository exists but cannot be read.
    public static func inspect(path: String) throws(GitError) -> GitRevision {
        _ = initialized
        var repository: OpaquePointer?
        let opened = git_repository_open_ext(&repository, path, 0, nil)
        if opened == GIT_ENOTFOUND.rawValue { return .notARepository(path) }
        try check(opened, "git_repository_open_ext")
        defer { git_repository_free(repository) }

        var revision = GitRevision(path: path, isRepository: true)
        if let workdir = git_repository_workdir(repository) {
            var root = String(cString: workdir)
            if root.count > 1, root.hasSuffix("/") { root.removeLast() }
            revision.root = root
        }
        var head: OpaquePointer?
        let headResult = git_repository_head(&head, repository)
        var headTree: OpaquePointer?
        defer { git_tree_free(headTree) }
        if headResult == 0 {
            defer { git_reference_free(head) }
            if git_repository_head_detached(repository) == 0, let shorthand = git_reference_shorthand(head) {
                revision.branch = String(cString: shorthand)
            }
            var commit: OpaquePointer?
            try check(git_reference_peel(&commit, head, GIT_OBJECT_COMMIT), "git_reference_peel")
            defer { git_object_free(commit) }
            if let oid = git_object_id(commit) {
                revision.commit = hex(oid)
            }
            try check(git_commit_tree(&headTree, commit), "git_commit_tree")
        } else if headResult == GIT_EUNBORNBRANCH.rawValue || headResult == GIT_ENOTFOUND.rawValue {
            // A repository with no commits: report the branch HEAD points at.
            var reference: OpaquePointer?
            if git_reference_lookup(&reference, repository, "HEAD") == 0 {
                defer { git_reference_free(reference) }
                if let target = git_reference_symbolic_target(reference) {
                    revision.branch = String(String(cString: target).dropFirst("refs/heads/".count))
                }
            }
        } else {
            try check(headResult, "git_repository_head")
        }
        if git_repository_is_bare(repository) == 0 {
            revision.untracked = try untrackedFiles(repository)
            revision.diff = try diffAgainstHead(repository, tree: headTree)
            revision.dirty = !revision.diff.isEmpty || !revision.untracked.isEmpty
        }
        return revision
    }

    private static func untrackedFiles(_ repository: OpaquePointer?) throws(GitError) -> [String] {
        var options = git_status_options()
        try check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "git_status_options_init")
        options.show = GIT_STATUS_SHOW_WORKDIR_ONLY
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
        var list: OpaquePointer?
        try check(git_status_list_new(&list, repository, &options), "git_status_list_new")
        defer { git_status_list_free(list) }
        var files: [String] = []
        for index in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, index),
                entry.pointee.status.rawValue & GIT_STATUS_WT_NEW.rawValue != 0,
                let delta = entry.pointee.index_to_workdir, let path = delta.pointee.new_file.path
            else { continue }
            files.append(String(cString: path))
        }
        return files.sorted()
    }

    private static func diffAgainstHead(_ repository: OpaquePointer?, tree: OpaquePointer?) throws(GitError) -> String {
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
        var diff: OpaquePointer?
        try check(
            git_diff_tree_to_workdir_with_index(&diff, repository, tree, &options),
            "git_diff_tree_to_workdir_with_index")
        defer { git_diff_free(diff) }
        var buffer = git_buf()
        try check(git_diff_to_buf(&buffer, diff, GIT_DIFF_FORMAT_PATCH), "git_diff_to_buf")
        defer { git_buf_dispose(&buffer) }
        guard let pointer = buffer.ptr, buffer.size > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: buffer.size), as: UTF8.self)
    }

    private static func hex(_ oid: UnsafePointer<git_oid>) -> String {
        var characters = [CChar](repeating: 0, count: 41)
        git_oid_tostr(&characters, 41, oid)
        return String(decoding: characters.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func check(_ result: Int32, _ operation: String) throws(GitError) {
        guard result < 0 else { return }
        let message = git_error_last().map { String(cString: $0.pointee.message) } ?? "unknown error"
        throw GitError(operation: operation, code: result, message: message)
    }
}
