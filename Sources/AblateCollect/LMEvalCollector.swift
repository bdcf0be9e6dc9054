import AblateCore
import Foundation

/// Reads lm-evaluation-harness results: `OUT/<sanitized model>/results_<timestamp>.json` under an
/// `--output_path` folder (or one results file), in the shapes of v0.4.5 through the current release
/// (`config.model_args` a string or a dict, `model_name` at the top level, groups such as MMLU in
/// `groups`). Per model, each task's values come from the newest results file that has the task. The
/// paper's short tasks are recorded ×100 as `hellaswag`, `mmlu`, `arc_challenge`, `winogrande` and
/// `gsm8k` (acc_norm, acc, acc_norm, acc, strict-match exact match; a fallback to flexible-extract is a
/// warning); every task's every metric is kept as `lm_eval.TASK.METRIC[.FILTER]`, unscaled. n-shot,
/// limit, the harness's version and git hash are the evaluation's provenance. With `--log_samples`, the
/// paper tasks' per-sample scores are kept for paired tests.
public struct LMEvalCollector: ResultCollector {
    /// Creates the reader.
    public init() {}

    /// One model's results, merged over its results files.
    public struct ModelResults: Sendable {
        /// The model (`model_name`, else `pretrained=` of `config.model_args`, else the folder's name).
        public var model: String
        /// What was read.
        public var results: CollectedResults
    }

    /// Results files under `url` (a file, or a folder searched two levels deep), with their timestamps.
    func resultFiles(under url: URL) -> [(url: URL, stamp: String)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else {
            return [(url, String(LMEvalTasks.timestamp(ofResults: url.lastPathComponent) ?? ""))]
        }
        var found: [(URL, String)] = []
        var folders = [(url, 0)]
        while let (folder, depth) = folders.popLast() {
            for child in FileFingerprint.files(in: folder) {
                var childIsDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: child.path, isDirectory: &childIsDirectory)
                if childIsDirectory.boolValue {
                    if depth < 2 { folders.append((child, depth + 1)) }
                } else if let stamp = LMEvalTasks.timestamp(ofResults: child.lastPathComponent) {
                    found.append((child, String(stamp)))
                }
            }
        }
        return found.sorted { ($0.1, $0.0.path) < ($1.1, $1.0.path) }
    }

    /// A fingerprint of the files this reader reads in `folder` (names, sizes, times): collection is skipped while it is unchanged.
    public func fingerprint(of folder: URL) -> String {
        let results = resultFiles(under: folder).map(\.url)
        let samples = Set(results.map { $0.deletingLastPathComponent() }).flatMap {
            FileFingerprint.files(in: $0).filter { $0.lastPathComponent.hasPrefix("samples_") }
        }
        return FileFingerprint.of(results + samples)
    }

    /// Reads the results in `folder` as `collector` says.
    public func collect(in folder: URL, as collector: JobCollector) throws(CollectionError) -> CollectedResults {
        let models = try models(in: folder)
        guard models.count == 1 else {
            let newest = models.last!
            var results = newest.results
            results.warnings.insert(
                "\(folder.path): results of \(models.count) models (\(models.map { "'\($0.model)'" }.joined(separator: ", "))); recorded those of '\(newest.model)', evaluated last; give each model its own --output_path",
                at: 0)
            return results
        }
        return models[0].results
    }

    /// Every model's results under `url`, the model evaluated last at the end.
    public func models(in url: URL) throws(CollectionError) -> [ModelResults] {
        let expected = "lm-evaluation-harness results_<timestamp>.json files (its --output_path folder)"
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missing(url.path, expected: expected) }
        let files = resultFiles(under: url)
        guard !files.isEmpty else { throw .empty(url.path, expected: expected) }
        var order: [String] = []
        var merged: [String: (results: CollectedResults, tasks: Set<String>)] = [:]
        var failures: [CollectionError] = []
        // Newest first, so that each task's values come from the newest file that has it.
        for (file, stamp) in files.reversed() {
            let parsed: (model: String, results: CollectedResults, tasks: Set<String>)
            do {
                parsed = try read(file, stamp: stamp)
            } catch {
                failures.append(error)
                continue
            }
            if merged[parsed.model] == nil {
                order.insert(parsed.model, at: 0)
                merged[parsed.model] = (parsed.results, parsed.tasks)
                continue
            }
            var current = merged[parsed.model]!
            let fresh = parsed.tasks.subtracting(current.tasks)
            current.results.values += parsed.results.values.filter { value in
                fresh.contains { Self.belongs(value.key, to: $0) }
            }
            current.results.examples += parsed.results.examples.filter { example in
                fresh.contains { Self.belongs(example.key, to: $0) }
            }
            current.results.files.append(contentsOf: parsed.results.files)
            current.results.warnings += parsed.results.warnings
            current.tasks.formUnion(fresh)
            merged[parsed.model] = current
        }
        guard !order.isEmpty else {
            if files.count == 1, let failure = failures.first { throw failure }
            throw .malformed(
                url.path, reason: "no readable results file: " + failures.map(\.description).joined(separator: "; "))
        }
        return order.map { model in
            var results = merged[model]!.results
            results.warnings = failures.map(\.description) + results.warnings
            return ModelResults(model: model, results: results)
        }
    }

    /// Whether a recorded key is a value of `task`.
    static func belongs(_ key: String, to task: String) -> Bool {
        key == task || key.hasPrefix("lm_eval.\(task).")
    }

    /// One results file: its model, values, provenance and per-sample scores.
    func read(
        _ url: URL, stamp: String
    ) throws(CollectionError) -> (model: String, results: CollectedResults, tasks: Set<String>) {
        guard case .object(let object) = try FileFingerprint.json(url) else {
            throw .malformed(url.path, reason: "is not a JSON object; is it an lm-evaluation-harness results file?")
        }
        guard case .object(let tasks)? = object["results"] else {
            throw .malformed(
                url.path, reason: "has no \"results\" object; is it an lm-evaluation-harness results file?")
        }
        var groups: [String: ParamValue] = [:]
        if case .object(let members)? = object["groups"] { groups = members }
        var results = CollectedResults()
        results.files = [url.lastPathComponent]
        var seen = Set<String>()
        let entries = tasks.merging(groups, uniquingKeysWith: { _, group in group }).sorted { $0.key < $1.key }
        // Since v0.4 every metric key is `metric,filter`; keys without a comma (alias, name, sample_len)
        // are metrics only in the files of older harnesses, which have no filters at all.
        let old = !entries.contains { entry in
            if case .object(let fields) = entry.value { fields.keys.contains { $0.contains(",") } } else { false }
        }
        for (task, entry) in entries {
            guard case .object(let fields) = entry else { continue }
            for (name, value) in fields.sorted(by: { $0.key < $1.key })
            where name.contains(",") || (old && !["alias", "name", "sample_len"].contains(name)) {
                guard let number = value.numberValue ?? (value.stringValue == "N/A" ? Double.nan : nil) else {
                    continue
                }
                results.values.append(.init(key: LMEvalTasks.key(task: task, metric: name), value: number))
                seen.insert(task)
            }
        }
        if old {
            results.warnings.append(
                "\(url.path): metric keys without a filter (a harness older than v0.4): read as filter 'none'")
        }
        for (task, metric, fallback) in LMEvalTasks.paper {
            guard case .object(let fields)? = groups[task] ?? tasks[task] else { continue }
            let plain = String(metric.split(separator: ",")[0])
            if let value = fields[metric]?.numberValue ?? (old ? fields[plain]?.numberValue : nil) {
                results.values.append(.init(key: task, value: value * 100))
            } else if let fallback, let value = fields[fallback]?.numberValue {
                results.values.append(.init(key: task, value: value * 100))
                results.warnings.append(
                    "\(url.path): \(task) has no '\(metric)'; recorded '\(fallback)' instead")
            } else {
                results.warnings.append(
                    "\(url.path): \(task) has no '\(metric)' (it has \(fields.keys.filter { $0.contains(",") && !$0.contains("_stderr") }.sorted().joined(separator: ", "))); \(task) is not recorded"
                )
            }
        }
        guard !seen.isEmpty else {
            throw .malformed(
                url.path, reason: "its \"results\" hold no metric; is it an lm-evaluation-harness results file?")
        }
        results.provenance = Self.provenance(of: object, stamp: stamp)
        results.examples = samples(beside: url, stamp: stamp, subtasks: object["group_subtasks"])
        return (Self.model(of: object, file: url), results, seen)
    }

    /// The evaluated model: `model_name`, else `pretrained=` (or another model key) of `config.model_args`,
    /// else the name of the folder the file is in.
    static func model(of object: [String: ParamValue], file: URL) -> String {
        if let name = object["model_name"]?.stringValue, !name.isEmpty { return name }
        let keys = ["peft", "delta", "pretrained", "model", "path", "engine"]
        if case .object(let config)? = object["config"] {
            switch config["model_args"] {
            case .object(let arguments)?:
                for key in keys { if let value = arguments[key]?.stringValue { return value } }
            case .string(let text)?:
                let pairs = text.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
                for key in keys {
                    if let pair = pairs.first(where: { $0.count == 2 && $0[0] == key }) { return pair[1] }
                }
            default: break
            }
        }
        return file.deletingLastPathComponent().lastPathComponent
    }

    /// n-shot, limit, versions, git hash, model arguments and when.
    static func provenance(of object: [String: ParamValue], stamp: String) -> [String: ParamValue] {
        var provenance: [String: ParamValue] = ["timestamp": .string(stamp)]
        for key in ["n-shot", "git_hash", "lm_eval_version", "transformers_version", "date", "model_name"] {
            if let value = object[key], value != .null { provenance[key] = value }
        }
        if case .object(let config)? = object["config"] {
            for key in ["model", "model_args", "limit", "batch_size", "device", "random_seed", "fewshot_seed"] {
                if let value = config[key], value != .null { provenance[key] = value }
            }
        }
        return provenance
    }

    /// Per-sample scores of the paper tasks from `samples_<task>_<stamp>.jsonl` beside the results file.
    func samples(beside url: URL, stamp: String, subtasks: ParamValue?) -> [CollectedResults.Examples] {
        let folder = url.deletingLastPathComponent()
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        var examples: [CollectedResults.Examples] = []
        var children: [String: [String]] = [:]
        if case .object(let groups)? = subtasks {
            for (group, list) in groups {
                if case .array(let items) = list { children[group] = items.compactMap(\.stringValue) }
            }
        }
        func leaves(_ task: String) -> [String] {
            guard let kids = children[task], !kids.isEmpty else { return [task] }
            return kids.flatMap(leaves)
        }
        for (task, metric, _) in LMEvalTasks.paper {
            let parts = metric.split(separator: ",").map(String.init)
            var ids: [String] = [], scores: [Double] = []
            for leaf in leaves(task) {
                let name = "samples_\(leaf)_\(stamp).jsonl"
                guard names.contains(name),
                    let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
                else { continue }
                var seenDocs = Set<Int64>()
                for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                    guard case .object(let sample)? = try? JSONParser.parse(String(line)),
                        let doc = sample["doc_id"]?.intValue, let score = sample[parts[0]]?.numberValue
                    else { continue }
                    if let filter = sample["filter"]?.stringValue {
                        guard filter == parts[1] else { continue }
                    } else if !seenDocs.insert(doc).inserted {
                        continue  // v0.4.5 writes one line per filter, the first filter's first
                    }
                    ids.append(leaf == task ? "\(doc)" : "\(leaf):\(doc)")
                    scores.append(score * 100)
                }
            }
            if !ids.isEmpty { examples.append(.init(key: task, length: nil, ids: ids, scores: scores)) }
        }
        return examples
    }
}
