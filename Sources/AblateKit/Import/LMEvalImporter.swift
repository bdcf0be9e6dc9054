import AblateCollect
import AblateCore
import AblateStore
import Foundation

/// Imports lm-evaluation-harness results produced outside any sweep, with the same reader as a sweep's
/// `lm-eval` collector: one external run per model (`params: {model}`), from a results file or an
/// `--output_path` folder (each task from the newest results file that has it).
public enum LMEvalImporter {
    /// The runs in `url` and every warning of the reader.
    public static func runs(in url: URL) throws -> (runs: [ExternalRun], warnings: [String]) {
        guard FileManager.default.fileExists(atPath: url.path) else { throw ImportError.missing(url.path) }
        let models: [LMEvalCollector.ModelResults]
        do {
            models = try LMEvalCollector().models(in: url)
        } catch {
            switch error {
            case .empty(let path, let expected): throw ImportError.empty(path, expected: expected)
            case .missing(let path, _): throw ImportError.missing(path)
            case .malformed(let path, let reason): throw ImportError.malformed(path, line: nil, reason: reason)
            }
        }
        var warnings: [String] = []
        let runs = models.map { model in
            warnings += model.results.warnings
            var run = ExternalRun(params: ["model": .string(model.model)], metrics: [:])
            run.source = url.path
            for value in model.results.values { run.metrics[value.key] = value.value }
            return run
        }
        return (runs, warnings)
    }
}
