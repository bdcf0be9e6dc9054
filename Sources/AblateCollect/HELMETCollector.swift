import AblateCore
import Foundation

/// Reads a folder of HELMET `eval.py` results as HELMET's own `scripts/collect_results.py` scores
/// them: per input length, each dataset's metrics (from the GPT-4 judge's file, else `.json.score`,
/// else the `.json`'s `averaged_metrics`), the seven category means (NaN-skipping) and their mean.
///
/// Files are selected explicitly: by tag (default `v1`, as HELMET's scripts run), seed (default 42,
/// eval.py's) and shots (default: each dataset's shots in HELMET's configs); what is left out is said in
/// a warning. Two evaluations that land on the same dataset and length (the RULER tasks the recall and
/// RULER configs both run) are averaged, as collect_results.py's pivot table averages them.
public struct HELMETCollector: ResultCollector {
    /// Creates the reader.
    public init() {}

    /// The three files of one evaluation.
    struct Evaluation {
        var name: HELMETFileName
        var kinds: Set<HELMETFileName.Kind> = []
    }

    /// A fingerprint of the files this reader reads in `folder` (names, sizes, times): collection is skipped while it is unchanged.
    public func fingerprint(of folder: URL) -> String {
        FileFingerprint.of(FileFingerprint.files(in: folder).filter { HELMETFileName($0.lastPathComponent) != nil })
    }

    /// Reads the results in `folder` as `collector` says.
    public func collect(in folder: URL, as collector: JobCollector) throws(CollectionError) -> CollectedResults {
        var isDirectory: ObjCBool = false
        let expected = "HELMET eval.py result files such as json_kv_v1_..._in32768_..._42.json"
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else {
            throw .missing(folder.path, expected: expected)
        }
        guard isDirectory.boolValue else {
            throw .malformed(
                folder.path, reason: "is a file; the helmet collector reads the --output_dir folder of eval.py")
        }
        var evaluations: [String: Evaluation] = [:]
        for url in FileFingerprint.files(in: folder) {
            guard let name = HELMETFileName(url.lastPathComponent) else { continue }
            evaluations[name.base, default: Evaluation(name: name)].kinds.insert(name.kind)
        }
        guard !evaluations.isEmpty else { throw .empty(folder.path, expected: expected) }
        return score(evaluations.values.sorted { $0.name.base < $1.name.base }, in: folder, as: collector)
    }

    /// A dataset metric's values at one length, the files they came from, and (with `examples`) each
    /// evaluation's per-example scores.
    private struct Cell {
        var values: [Double] = []
        var files: [String] = []
        var examples: [(ids: [String], scores: [Double])] = []
    }

    private func score(_ evaluations: [Evaluation], in folder: URL, as collector: JobCollector) -> CollectedResults {
        let tag = collector.tag ?? "v1"
        let seed = collector.seed ?? 42
        var results = CollectedResults()
        results.provenance = ["tag": .string(tag), "seed": .int(Int64(seed))]
        if let shots = collector.shots { results.provenance["shots"] = .int(Int64(shots)) }
        var otherTags: [String] = [], otherSeeds: [String] = [], otherShots: [String] = [], unknown: [String] = []
        var cells: [Int: [String: Cell]] = [:]  // length -> "dataset\tmetric" -> cell
        for evaluation in evaluations {
            let name = evaluation.name
            guard let (dataset, _) = name.split(tag: tag) else {
                otherTags.append(name.base)
                continue
            }
            guard name.seed == seed else {
                otherSeeds.append(name.base)
                continue
            }
            guard let entry = HELMETScoring.entry(of: dataset) else {
                unknown.append(name.base)
                continue
            }
            let shots = collector.shots.map { [$0] } ?? HELMETScoring.configShots(of: entry.key)
            guard shots.contains(name.shots) else {
                otherShots.append(name.base)
                continue
            }
            if let lengths = collector.lengths, !lengths.contains(name.length) { continue }
            let stem = String(name.base.dropLast(".json".count))
            let file: String
            if evaluation.kinds.contains(.gpt4) {
                file = stem + "-gpt4eval_o.json"
            } else if dataset.contains("alce") || evaluation.kinds.contains(.score) {
                file = name.base + ".score"
            } else {
                file = name.base
            }
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path) else {
                results.warnings.append(
                    "\(folder.appendingPathComponent(file).path): missing; ALCE results are scored by HELMET's eval_alce.py, which writes it; \(dataset) at \(name.length) is not recorded"
                )
                continue
            }
            let metrics: [String: ParamValue]
            do {
                metrics = try averagedMetrics(in: folder.appendingPathComponent(file), flat: file.hasSuffix(".score"))
            } catch {
                results.warnings.append("\(error.description); \(dataset) at \(name.length) is not recorded")
                continue
            }
            results.files.append(file)
            var values: [(String, Double)] = []
            var absent: [String] = []
            for metric in entry.metrics {
                if let value = HELMETScoring.spellings(of: metric).lazy.compactMap({ metrics[$0]?.numberValue }).first {
                    values.append((metric, HELMETScoring.rescaled(value, metric: metric)))
                } else {
                    absent.append(metric)
                }
            }
            guard absent.isEmpty else {
                results.warnings.append(
                    "\(folder.appendingPathComponent(file).path): no \(absent.map { "'\($0)'" }.joined(separator: ", ")) among its metrics"
                        + Self.advice(for: absent) + "; \(dataset) at \(name.length) is not recorded")
                continue
            }
            var perExample: [String: (ids: [String], scores: [Double])] = [:]
            if collector.examples == true {
                do {
                    perExample = try Self.examples(
                        in: folder, base: name.base, judged: evaluation.kinds.contains(.gpt4), metrics: entry.metrics)
                } catch {
                    results.warnings.append(
                        "\(error.description); no per-example scores for \(dataset) at \(name.length)")
                }
            }
            for (metric, value) in values {
                let column = "\(entry.key)\t\(metric)"
                cells[name.length, default: [:]][column, default: Cell()].values.append(value)
                cells[name.length, default: [:]][column, default: Cell()].files.append(file)
                if let scores = perExample[metric] {
                    cells[name.length, default: [:]][column, default: Cell()].examples.append(scores)
                }
            }
        }
        for (what, names) in [
            ("another tag than '\(tag)' (set 'tag:' to read them)", otherTags),
            ("another seed than \(seed) (set 'seed:' to read them)", otherSeeds),
            ("other shots than HELMET's configs use (set 'shots:' to read them)", otherShots),
            ("a dataset HELMET's collect_results.py does not score", unknown),
        ] where !names.isEmpty {
            results.warnings.append(
                "\(folder.path): \(names.count) file(s) with \(what) left out, such as \(names[0])")
        }
        for (length, columns) in cells.sorted(by: { $0.key < $1.key }) {
            var columnValues: [String: Double] = [:]
            for (column, cell) in columns.sorted(by: { $0.key < $1.key }) {
                let parts = column.split(separator: "\t").map(String.init)
                let mean = Self.nanMean(cell.values)
                columnValues[column] = mean
                let key = HELMETScoring.key(dataset: parts[0], metric: parts[1])
                results.values.append(.init(key: key, length: length, value: mean))
                if !cell.examples.isEmpty, cell.examples.count == cell.values.count {
                    for (index, scores) in cell.examples.enumerated() {
                        results.examples.append(
                            .init(
                                key: key, length: length, component: cell.files[index],
                                weight: 1 / Double(cell.examples.count), ids: scores.ids, scores: scores.scores))
                    }
                }
            }
            var categoryMeans: [Double] = []
            for category in HELMETScoring.categories {
                let present = category.columns.compactMap { columnValues["\($0.dataset)\t\($0.metric)"] }
                guard !present.isEmpty else { continue }
                let mean = Self.nanMean(present)
                categoryMeans.append(mean)
                results.values.append(.init(key: category.key, length: length, value: mean))
                // The category's examples: each column's, weighted as the NaN-skipping mean weighs them.
                let scored = category.columns.compactMap { column -> Cell? in
                    guard let cell = columns["\(column.dataset)\t\(column.metric)"],
                        let value = columnValues["\(column.dataset)\t\(column.metric)"], !value.isNaN
                    else { return nil }
                    return cell
                }
                if !scored.isEmpty, scored.allSatisfy({ !$0.examples.isEmpty && $0.examples.count == $0.values.count })
                {
                    for cell in scored {
                        for (index, scores) in cell.examples.enumerated() {
                            results.examples.append(
                                .init(
                                    key: category.key, length: length, component: cell.files[index],
                                    weight: 1 / Double(scored.count * cell.examples.count), ids: scores.ids,
                                    scores: scores.scores))
                        }
                    }
                }
                let missing = category.columns.filter { columnValues["\($0.dataset)\t\($0.metric)"] == nil }
                if !missing.isEmpty {
                    results.warnings.append(
                        "\(folder.path): \(category.label) at \(length) averages \(present.count) of \(category.columns.count) results; missing "
                            + missing.map { "\($0.dataset) \($0.metric)" }.joined(separator: ", "))
                }
            }
            if !categoryMeans.isEmpty {
                results.values.append(
                    .init(key: HELMETScoring.averageKey, length: length, value: Self.nanMean(categoryMeans)))
            }
        }
        return results
    }

    /// What to run to get a GPT-4-judged metric.
    private static func advice(for metrics: [String]) -> String {
        if metrics.contains("gpt-4-score") { return " (run HELMET's scripts/eval_gpt4_longqa.py)" }
        if metrics.contains("gpt-4-f1") { return " (run HELMET's scripts/eval_gpt4_summ.py)" }
        return ""
    }

    /// The flat metrics of a `.score` file, or the `averaged_metrics` of a `.json`.
    private func averagedMetrics(in url: URL, flat: Bool) throws(CollectionError) -> [String: ParamValue] {
        if flat {
            guard case .object(let object) = try FileFingerprint.json(url) else {
                throw .malformed(url.path, reason: "is not a JSON object")
            }
            return object
        }
        guard case .object(let averaged)? = try FileFingerprint.member("averaged_metrics", of: url) else {
            throw .malformed(url.path, reason: "has no 'averaged_metrics'; is it a HELMET eval.py result?")
        }
        return averaged
    }

    /// Each metric's per-example scores (0–100, as `averaged_metrics` averages them) in one evaluation's
    /// `data`: from the GPT-4 judge's file for its metrics (`gpt-4-scores` of each judged example), else
    /// from the `.json`. ALCE's metrics have none (HELMET scores them per dataset only).
    static func examples(
        in folder: URL, base: String, judged: Bool, metrics: [String]
    ) throws(CollectionError) -> [String: (ids: [String], scores: [Double])] {
        var result: [String: (ids: [String], scores: [Double])] = [:]
        guard !base.hasPrefix("alce") else { return result }
        let gpt4 = metrics.filter { $0.hasPrefix("gpt-4") }
        let plain = metrics.filter { !$0.hasPrefix("gpt-4") }
        var sources: [(file: String, metrics: [String])] = []
        if !plain.isEmpty { sources.append((base, plain)) }
        if !gpt4.isEmpty, judged { sources.append((String(base.dropLast(".json".count)) + "-gpt4eval_o.json", gpt4)) }
        for (file, wanted) in sources {
            let url = folder.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            guard case .array(let items)? = try FileFingerprint.member("data", of: url) else {
                throw .malformed(url.path, reason: "has no 'data' list of examples")
            }
            for metric in wanted {
                var ids: [String] = []
                var scores: [Double] = []
                for (index, item) in items.enumerated() {
                    guard case .object(let fields) = item, let score = exampleScore(fields, metric: metric) else {
                        continue
                    }
                    let id = fields["id"] ?? fields["qid"]
                    ids.append(id.map { $0.stringValue ?? $0.description } ?? "\(index)")
                    scores.append(score)
                }
                if !scores.isEmpty { result[metric] = (ids, scores) }
            }
        }
        return result
    }

    /// One example's score of `metric` on the 0–100 scale; `nil` where the judge gave none.
    static func exampleScore(_ fields: [String: ParamValue], metric: String) -> Double? {
        switch metric {
        case "gpt-4-score", "gpt-4-f1":
            guard case .object(let judge)? = fields["gpt-4-scores"] ?? fields["gpt4-scores"] else { return nil }
            if metric == "gpt-4-f1" { return judge["f1"]?.numberValue.map { $0 * 100 } }
            guard let fluency = judge["fluency"]?.numberValue, let correctness = judge["correctness"]?.numberValue
            else { return nil }
            return fluency * correctness * 100 / 3
        default:
            switch fields[metric] {
            case .bool(let flag)?: return flag ? 100 : 0
            case let value?: return value.numberValue.map { $0 * 100 }
            case nil: return nil
            }
        }
    }

    /// The mean of the values that are not NaN; NaN when all are.
    static func nanMean(_ values: [Double]) -> Double {
        let present = values.filter { !$0.isNaN }
        return present.isEmpty ? .nan : present.reduce(0, +) / Double(present.count)
    }
}
