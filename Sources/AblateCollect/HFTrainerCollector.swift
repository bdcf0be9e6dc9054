import AblateCore
import Foundation

/// Reads what the Hugging Face Trainer writes (and so ProLong's trainer, which subclasses it): the
/// `log_history` of `trainer_state.json` as series (loss, learning rate, grad norm, epoch, eval entries),
/// from the newest `checkpoint-N/` or the output folder, whichever is further along; and
/// `all_results.json` / `train_results.json` as final values. With `tokens_per_step`, a `tokens` series
/// (step × tokens per step) is recorded beside `step`.
public struct HFTrainerCollector: ResultCollector {
    /// Creates the reader.
    public init() {}

    /// The files the Trainer writes that this reader reads.
    func candidates(in folder: URL) -> (states: [URL], results: [URL]) {
        var states = [folder.appendingPathComponent("trainer_state.json")]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where Self.checkpointStep(name) != nil {
            states.append(folder.appendingPathComponent(name).appendingPathComponent("trainer_state.json"))
        }
        let results = ["train_results.json", "all_results.json"].map { folder.appendingPathComponent($0) }
        return (states.filter { FileManager.default.fileExists(atPath: $0.path) }, results)
    }

    /// `N` of a `checkpoint-N` folder name.
    static func checkpointStep(_ name: String) -> Int64? {
        guard name.hasPrefix("checkpoint-") else { return nil }
        return Int64(name.dropFirst("checkpoint-".count))
    }

    /// A fingerprint of the files this reader reads in `folder` (names, sizes, times): collection is skipped while it is unchanged.
    public func fingerprint(of folder: URL) -> String {
        let (states, results) = candidates(in: folder)
        return FileFingerprint.of(states + results)
    }

    /// Reads the results in `folder` as `collector` says.
    public func collect(in folder: URL, as collector: JobCollector) throws(CollectionError) -> CollectedResults {
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw .missing(folder.path, expected: "the Trainer's output_dir with trainer_state.json")
        }
        let (states, resultFiles) = candidates(in: folder)
        var results = CollectedResults()
        var newest: (url: URL, step: Int64, history: [ParamValue])?
        for url in states {
            do throws(CollectionError) {
                guard case .object(let state) = try FileFingerprint.json(url) else {
                    throw CollectionError.malformed(url.path, reason: "is not a JSON object")
                }
                guard case .array(let history)? = state["log_history"] else {
                    throw CollectionError.malformed(
                        url.path, reason: "has no 'log_history' list; is it a Hugging Face trainer_state.json?")
                }
                let step = state["global_step"]?.intValue ?? 0
                if newest == nil || step > newest!.step { newest = (url, step, history) }
            } catch {
                results.warnings.append(error.description)
            }
        }
        var finals: [String: Double] = [:]
        if let newest {
            results.files.append(String(newest.url.path.dropFirst(folder.path.count + 1)))
            results.provenance["global_step"] = .int(newest.step)
            var skipped = 0
            for entry in newest.history {
                guard case .object(let fields) = entry, let step = fields["step"]?.intValue, step >= 0 else {
                    skipped += 1
                    continue
                }
                for (key, value) in fields.sorted(by: { $0.key < $1.key }) where key != "step" {
                    guard let number = value.numberValue else { continue }
                    results.points.append(.init(key: key, step: step, value: number))
                    finals[key] = number
                }
                if let tokens = collector.tokensPerStep {
                    let (product, overflow) = step.multipliedReportingOverflow(by: tokens)
                    if !overflow {
                        results.points.append(.init(key: "tokens", step: step, value: Double(product)))
                        finals["tokens"] = Double(product)
                    }
                }
            }
            if skipped > 0 {
                results.warnings.append(
                    "\(newest.url.path): \(skipped) log_history entries without a whole 'step' left out")
            }
            if let tokens = collector.tokensPerStep {
                let (product, overflow) = newest.step.multipliedReportingOverflow(by: tokens)
                if !overflow { finals["tokens"] = Double(product) }
            }
        }
        for url in resultFiles where FileManager.default.fileExists(atPath: url.path) {
            do throws(CollectionError) {
                guard case .object(let object) = try FileFingerprint.json(url) else {
                    throw CollectionError.malformed(url.path, reason: "is not a JSON object")
                }
                for (key, value) in object { if let number = value.numberValue { finals[key] = number } }
                results.files.append(url.lastPathComponent)
            } catch {
                results.warnings.append(error.description)
            }
        }
        guard newest != nil || !finals.isEmpty else {
            if !results.warnings.isEmpty {
                throw .malformed(folder.path, reason: results.warnings.joined(separator: "; "))
            }
            throw .empty(
                folder.path, expected: "trainer_state.json (in the folder or a checkpoint-N/) or all_results.json")
        }
        results.values = finals.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: $0.value) }
        return results
    }
}
