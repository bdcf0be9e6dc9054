import AblateCore
import AblateExecution
import AblateStore

/// Jobs that `ablate plan` would reuse although they ran other code than what their stage's `repo:`
/// holds now (stages without `code: key`, whose keys do not cover the code).
public enum CodeDrift {
    /// One warning per stage whose reused jobs ran other code, saying what differs and what to do.
    public static func warnings(
        plan: SweepPlan, doneKeys: Set<Digest>, store: ResultStore, provenance: any CodeProvenance
    ) throws -> [String] {
        var warnings: [String] = []
        for stage in plan.stages {
            guard let repo = stage.stage.repo, stage.stage.code == .record else { continue }
            let keys = stage.keys.filter(doneKeys.contains).map(\.hex)
            guard !keys.isEmpty else { continue }
            let current = provenance.revision(ofRepo: repo)
            let ran = try store.succeededCode(ofJobs: keys)
            let drifted = ran.values.filter { !sameCode($0, current) }
            guard let example = drifted.first else { continue }
            warnings.append(
                "stage '\(stage.name)': \(drifted.count) of \(keys.count) job(s) to be reused ran other code than "
                    + "'\(repo)' holds now (they ran \(describe(example)), it is \(describe(current))); "
                    + "add 'code: key' to the stage to run its jobs again when its code changes")
        }
        return warnings
    }

    /// Whether two revisions are the same code: same commit, same uncommitted diff, same untracked files.
    static func sameCode(_ a: GitRevision, _ b: GitRevision) -> Bool {
        a.isRepository == b.isRepository && a.commit == b.commit && a.diff == b.diff && a.untracked == b.untracked
    }

    /// `commit 1a2b3c4d5e6f with uncommitted changes`.
    static func describe(_ revision: GitRevision) -> String {
        guard revision.isRepository else { return "not a git repository" }
        let commit = revision.commit.map { "commit \($0.prefix(12))" } ?? "no commit"
        return commit + (revision.dirty ? " with uncommitted changes" : "")
    }
}
