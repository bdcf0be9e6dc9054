import AblateCore
import Foundation

/// The identity of the code a `code: key` stage runs: its repository's commit and a hash of what is
/// changed on top of it, which becomes part of the stage's job keys.
public enum CodeIdentity {
    /// Untracked files up to this size are hashed by content; larger ones (checkpoints, data) by
    /// name, size and modification time, so that an identity never reads gigabytes.
    public static let contentLimit = 1 << 20

    /// `COMMIT` for a clean checkout, `COMMIT+SHA256` of the diff and the untracked files otherwise.
    ///
    /// - Throws: ``CodeIdentityUnavailable`` when `revision` is not a git repository.
    public static func of(_ revision: GitRevision) throws -> String {
        guard revision.isRepository else {
            throw CodeIdentityUnavailable(reason: "'\(revision.path)' is not a git repository")
        }
        let commit = revision.commit ?? "no-commit"
        guard revision.dirty else { return commit }
        var bytes = Array("diff \(revision.diff.utf8.count)\n".utf8) + Array(revision.diff.utf8)
        let root = URL(fileURLWithPath: revision.root ?? revision.path)
        for file in revision.untracked.sorted() {
            let url = root.appendingPathComponent(file)
            let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            bytes += Array("\nuntracked \(file.utf8.count) \(file) \(size)\n".utf8)
            if size >= 0, size <= contentLimit, let data = FileManager.default.contents(atPath: url.path) {
                bytes += Array(data)
            } else {
                let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                bytes += Array("mtime \(modified)".utf8)
            }
        }
        return commit + "+" + SHA256.hash(bytes).hex
    }

    /// The resolver ``SpecLoader`` takes: reads each `code: key` stage's repository.
    public static func resolver(_ stage: Stage) throws -> String {
        guard let repo = stage.repo else { throw CodeIdentityUnavailable(reason: "the stage has no 'repo'") }
        let path = Provenance.path(ofRepo: repo)
        let revision: GitRevision
        do {
            revision = try Provenance.revision(of: path)
        } catch {
            throw CodeIdentityUnavailable(reason: "'\(path)' cannot be read: \(error.localizedDescription)")
        }
        return try of(revision)
    }
}
