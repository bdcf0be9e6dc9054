/// The short tasks the paper reports and the lm-evaluation-harness metric each is read from.
public enum LMEvalTasks {
    /// Task (or group) name → the `metric,filter` key read, and the fallback used (with a warning) when
    /// that filter is absent.
    public static let paper: [(task: String, metric: String, fallback: String?)] = [
        ("hellaswag", "acc_norm,none", nil),
        ("mmlu", "acc,none", nil),
        ("arc_challenge", "acc_norm,none", nil),
        ("winogrande", "acc,none", nil),
        ("gsm8k", "exact_match,strict-match", "exact_match,flexible-extract"),
    ]

    /// The Ablate key of any task's metric: `lm_eval.TASK.METRIC`, with `.FILTER` when the filter is not
    /// `none` (`lm_eval.gsm8k.exact_match.strict-match`).
    public static func key(task: String, metric: String) -> String {
        let parts = metric.split(separator: ",", maxSplits: 1).map(String.init)
        let filter = parts.count > 1 ? parts[1] : "none"
        return "lm_eval.\(task).\(parts[0])" + (filter == "none" ? "" : ".\(filter)")
    }

    /// Whether `text` is an lm-eval timestamp as its file names carry it (`2024-10-01T12-15-59.947895`).
    static func isTimestamp(_ text: Substring) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 19 else { return false }
        let pattern = Array("dddd-dd-ddTdd-dd-dd".unicodeScalars)
        for (index, expected) in pattern.enumerated() {
            let scalar = scalars[index]
            if expected == "d" {
                guard ("0"..."9").contains(scalar) else { return false }
            } else if scalar != expected {
                return false
            }
        }
        let rest = scalars.dropFirst(19)
        return rest.isEmpty || (rest.first == "." && rest.dropFirst().allSatisfy { ("0"..."9").contains($0) })
    }

    /// The timestamp of a results file name (`results_<ts>.json`, or `<stem>_<ts>.json` for an
    /// `--output_path` ending in `.json`); `nil` for other files.
    static func timestamp(ofResults name: String) -> Substring? {
        guard name.hasSuffix(".json"), !name.hasPrefix("samples_"), let separator = name.lastIndex(of: "_") else {
            return nil
        }
        let stamp = name[name.index(after: separator)...].dropLast(".json".count)
        return isTimestamp(stamp) ? stamp : nil
    }
}
