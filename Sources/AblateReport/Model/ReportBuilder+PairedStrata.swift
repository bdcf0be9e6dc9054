import AblateCore
import AblateStats

extension ReportBuilder {
    /// The strata of a paired bootstrap of two rows in a column of metric `key`: per evaluation length
    /// (those of `lengths`, else every length both rows have) and component (a HELMET dataset within a
    /// category), the examples both rows were scored on, each example's score averaged over the row's
    /// runs (seeds); weighted as the value weighs them. Empty when a row lacks a component the other has
    /// (the rows were not evaluated on the same things) or has no examples.
    static func pairedStrata(
        key: String, lengths: [Int]?, _ a: [ReportRun], _ b: [ReportRun]
    ) -> [PairedBootstrap.Stratum] {
        // `eval.rag` is `rag` of stage `eval`.
        let stage = key.split(separator: ".", maxSplits: 1).first.map(String.init)
        func pooled(
            _ runs: [ReportRun]
        ) -> [Int: [String: (weight: Double, scores: [String: (sum: Double, count: Int)])]] {
            var result: [Int: [String: (weight: Double, scores: [String: (sum: Double, count: Int)])]] = [:]
            for run in runs {
                for examples in run.examples where examples.key == key || key == "\(stage ?? "").\(examples.key)" {
                    let length = examples.length ?? 0
                    var entry = result[length]?[examples.component] ?? (examples.weight, [:])
                    for (id, score) in zip(examples.ids, examples.scores) where score.isFinite {
                        let current = entry.scores[id] ?? (0, 0)
                        entry.scores[id] = (current.sum + score, current.count + 1)
                    }
                    result[length, default: [:]][examples.component] = entry
                }
            }
            return result
        }
        let left = pooled(a)
        let right = pooled(b)
        let common = Set(left.keys).intersection(right.keys)
        // A value without lengths (lm-eval's) has its examples at length 0, whatever lengths are chosen.
        let perLength = common != [0]
        let chosen = (perLength ? lengths.map { Set($0) } ?? common : common).sorted()
        guard !chosen.isEmpty, chosen.allSatisfy({ common.contains($0) }) else { return [] }
        var strata: [PairedBootstrap.Stratum] = []
        for length in chosen {
            let (l, r) = (left[length]!, right[length]!)
            guard Set(l.keys) == Set(r.keys) else { return [] }
            for component in l.keys.sorted() {
                let (x, y) = (l[component]!, r[component]!)
                let ids = Set(x.scores.keys).intersection(y.scores.keys).sorted()
                guard ids.count >= 2 else { return [] }
                strata.append(
                    PairedBootstrap.Stratum(
                        a: ids.map { x.scores[$0]!.sum / Double(x.scores[$0]!.count) },
                        b: ids.map { y.scores[$0]!.sum / Double(y.scores[$0]!.count) },
                        weight: x.weight / Double(chosen.count)))
            }
        }
        return strata
    }
}
