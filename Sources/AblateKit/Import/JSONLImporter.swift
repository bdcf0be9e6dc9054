import AblateCore
import AblateStore
import Foundation

/// `jsonl` imports: one run per line, `{"sweep": NAME, "params": {...}, "metrics": {...}}`.
public enum JSONLImporter {
    /// The runs in `text`, grouped by sweep (`defaultSweep` where a line names none).
    ///
    /// - Throws: ``ImportError`` naming the file and line of the first bad line.
    public static func runs(in text: String, file: String, defaultSweep: String?) throws -> [String: [ExternalRun]] {
        var result: [String: [ExternalRun]] = [:]
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard case .object(let object)? = try? JSONParser.parse(trimmed) else {
                throw ImportError.malformed(file, line: offset + 1, reason: "not a JSON object")
            }
            guard let sweep = object["sweep"]?.stringValue ?? defaultSweep else {
                throw ImportError.malformed(file, line: offset + 1, reason: "no \"sweep\"; add one or pass --sweep")
            }
            guard case .object(let params)? = object["params"] ?? .object([:]),
                case .object(let metricValues)? = object["metrics"]
            else {
                throw ImportError.malformed(
                    file, line: offset + 1, reason: "\"params\" and \"metrics\" must be objects")
            }
            var metrics: [String: Double] = [:]
            for (key, value) in metricValues {
                guard let number = value.numberValue else {
                    throw ImportError.malformed(file, line: offset + 1, reason: "metric '\(key)' is not a number")
                }
                metrics[key] = number
            }
            result[sweep, default: []].append(ExternalRun(params: params, metrics: metrics))
        }
        return result
    }
}
