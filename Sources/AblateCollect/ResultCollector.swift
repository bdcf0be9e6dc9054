import AblateCore
import Foundation

/// A reader of one evaluator's or trainer's own result files: the seam between Ablate and HELMET,
/// lm-evaluation-harness and the Hugging Face Trainer. Readers are pure over the files they read;
/// recording what they return is the store's job.
public protocol ResultCollector: Sendable {
    /// Reads the results under `folder` (a job's `collect:` path) as `collector` selects them.
    ///
    /// - Throws: ``CollectionError`` when there is nothing to record at all (no folder, no result
    ///   file); a problem with one file is a warning in the result instead, and the rest is recorded.
    func collect(in folder: URL, as collector: JobCollector) throws(CollectionError) -> CollectedResults

    /// A cheap summary of the files ``collect(in:as:)`` would read (names, sizes, modification times):
    /// collection is skipped while it is unchanged.
    func fingerprint(of folder: URL) -> String
}

/// The reader of each collector kind.
public enum Collectors {
    /// The reader for `kind`.
    public static func reader(for kind: CollectorKind) -> any ResultCollector {
        switch kind {
        case .helmet: HELMETCollector()
        case .lmEval: LMEvalCollector()
        case .hfTrainer: HFTrainerCollector()
        }
    }
}
