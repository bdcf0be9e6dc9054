import AblateCollect
import AblateCore
import AblateStore
import Foundation

/// Imports HELMET results produced outside any sweep, with the same reader as a sweep's `helmet`
/// collector: one external run per evaluated model (`params: {model}`), its categories and datasets
/// recorded per input length. The model is `args.model_name_or_path` of its result files (else the
/// folder's name), so files that sit in folders of the same name stay apart.
public enum HELMETImporter {
    /// The runs under `url` (a folder of result files, or a folder of such folders, as HELMET's
    /// `output/<model>/`), and every warning of the reader.
    public static func runs(
        in url: URL, tag: String? = nil, seed: Int? = nil
    ) throws -> (
        runs: [ExternalRun], warnings: [String]
    ) {
        guard FileManager.default.fileExists(atPath: url.path) else { throw ImportError.missing(url.path) }
        var collector = JobCollector(kind: .helmet, path: ".")
        collector.tag = tag
        collector.seed = seed
        var runs: [ExternalRun] = []
        var warnings: [String] = []
        var byModel: [String: Int] = [:]
        for folder in folders(under: url) {
            let results: CollectedResults
            do {
                results = try HELMETCollector().collect(in: folder, as: collector)
            } catch {
                warnings.append(error.description)
                continue
            }
            warnings += results.warnings
            guard !results.values.isEmpty else { continue }
            let model = self.model(in: folder, files: results.files) ?? folder.lastPathComponent
            if let earlier = byModel[model] {
                warnings.append(
                    "\(folder.path): results of model '\(model)' again (also in \(runs[earlier].source ?? "?")); import them under another --sweep"
                )
                continue
            }
            byModel[model] = runs.count
            var run = ExternalRun(params: ["model": .string(model)], metrics: [:])
            run.source = folder.path
            for value in results.values {
                if let length = value.length {
                    run.lengthMetrics[value.key, default: [:]][length] = value.value
                } else {
                    run.metrics[value.key] = value.value
                }
            }
            runs.append(run)
        }
        guard !runs.isEmpty else {
            throw ImportError.empty(
                url.path,
                expected: "HELMET eval.py result files such as json_kv_v1_..._in32768_..._42.json"
                    + (warnings.isEmpty ? "" : " (\(warnings.joined(separator: "; ")))"))
        }
        return (runs, warnings)
    }

    /// `url` and the folders under it (three levels) that hold HELMET result files.
    static func folders(under url: URL) -> [URL] {
        var found: [URL] = []
        var pending = [(url, 0)]
        while let (folder, depth) = pending.popLast() {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            if names.contains(where: { HELMETFileName($0) != nil }) { found.append(folder) }
            guard depth < 3 else { continue }
            for name in names {
                var isDirectory: ObjCBool = false
                let child = folder.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: child.path, isDirectory: &isDirectory), isDirectory.boolValue
                {
                    pending.append((child, depth + 1))
                }
            }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// `args.model_name_or_path` of the first `.json` result file read (or the one beside a `.score`).
    static func model(in folder: URL, files: [String]) -> String? {
        for file in files {
            let json = file.hasSuffix(".score") ? String(file.dropLast(".score".count)) : file
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(json).path),
                case .object(let object)? = try? JSONParser.parse(String(decoding: data, as: UTF8.self)),
                case .object(let arguments)? = object["args"], let model = arguments["model_name_or_path"]?.stringValue
            else { continue }
            return model
        }
        return nil
    }
}
