import AblateCore
import AblateExecution
import AblateStore
import Foundation

/// What `ablate run` does before dispatching, once the spec is valid (``SpecFile/load(_:)``): record
/// the sweep with the git state of the spec's repository, and report what is new and what is reused.
public enum SweepLauncher {
    /// Records `loaded`, the spec read from `path`; returns what is new and what is already recorded.
    public static func record(
        _ loaded: SpecLoader.Loaded, specPath path: String, store: ResultStore
    ) throws -> RecordSummary {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let revision = try? Provenance.revision(of: directory.isEmpty ? "." : directory)
        return try store.record(plan: loaded.plan, specPath: path, revision: revision)
    }

    /// Records the spec text of a sweep already in the store (for `ablate retry`).
    public static func record(sweep name: String, store: ResultStore) throws -> SpecLoader.Loaded {
        guard let (text, path) = try store.sweepSpec(named: name) else { throw ExecutionError.unknownSweep(name) }
        let loaded = try SpecLoader.load(yaml: text, file: path ?? name, codeIdentity: CodeIdentity.resolver)
        let directory = path.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? "."
        let revision = try? Provenance.revision(of: directory.isEmpty ? "." : directory)
        _ = try store.record(plan: loaded.plan, specPath: path, revision: revision)
        return loaded
    }
}
