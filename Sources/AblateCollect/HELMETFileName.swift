/// The name of a HELMET result file as `eval.py` builds it:
/// `{dataset}_{tag}_{test}_in{L}_size{N}_shots{S}_samp{bool}max{G}min{g}t{temp}p{top_p}_chat{bool}_{seed}.json`,
/// with `.json.score` (the flat averaged metrics) and `-gpt4eval_o.json` (the GPT-4 judge's copy) beside it.
public struct HELMETFileName: Sendable, Hashable {
    /// Which of the three files of one evaluation this is.
    public enum Kind: Sendable, Hashable {
        /// `….json`: args, data, metrics, averaged_metrics.
        case result
        /// `….json.score`: the averaged metrics, flat.
        case score
        /// `…-gpt4eval_o.json`: the result with the GPT-4 judge's scores added.
        case gpt4
    }

    /// The file kind.
    public var kind: Kind
    /// The `.json` file's name, shared by all three files of one evaluation.
    public var base: String
    /// Everything before `_in{L}`: `{dataset}_{tag}_{test}`.
    public var prefix: String
    /// `input_max_length`.
    public var length: Int
    /// `shots`.
    public var shots: Int
    /// `seed`.
    public var seed: Int
    /// The generation settings between the length and the seed (`size100_…_chatFalse`), which tell two
    /// evaluations of the same dataset apart.
    public var settings: String

    /// Parses a file name; `nil` for a name `eval.py` does not write.
    public init?(_ name: String) {
        let stem: Substring
        if name.hasSuffix("-gpt4eval_o.json") {
            kind = .gpt4
            stem = name.dropLast("-gpt4eval_o.json".count)
        } else if name.hasSuffix(".json.score") {
            kind = .score
            stem = name.dropLast(".json.score".count)
        } else if name.hasSuffix(".json") {
            kind = .result
            stem = name.dropLast(".json".count)
        } else {
            return nil
        }
        base = stem + ".json"
        // The seed: digits after the last '_'.
        guard let seedSeparator = stem.lastIndex(of: "_"), let seed = Int(stem[stem.index(after: seedSeparator)...])
        else { return nil }
        self.seed = seed
        let head = stem[..<seedSeparator]
        // The length: the last "_in<digits>_size".
        guard let inRange = Self.lastRange(of: "_in", in: head) else { return nil }
        let afterIn = head[inRange.upperBound...]
        let digits = afterIn.prefix { $0.isASCII && $0.isNumber }
        guard let length = Int(digits), afterIn.dropFirst(digits.count).hasPrefix("_size") else { return nil }
        self.length = length
        prefix = String(head[..<inRange.lowerBound])
        settings = String(afterIn.dropFirst(digits.count + 1))
        guard let shotsRange = Self.lastRange(of: "_shots", in: Substring(settings)) else { return nil }
        let shotDigits = settings[shotsRange.upperBound...].prefix { $0.isASCII && $0.isNumber }
        guard let shots = Int(shotDigits), settings.contains("_samp"), settings.contains("_chat") else { return nil }
        self.shots = shots
    }

    /// The dataset and test file of the prefix for `tag`: the dataset is what comes before the first
    /// `_{tag}_`; `nil` when the file was written with another tag.
    public func split(tag: String) -> (dataset: String, test: String)? {
        guard
            let range = prefix.range(of: "_\(tag)_")
                ?? (prefix.hasSuffix("_\(tag)") ? prefix.range(of: "_\(tag)", options: .backwards) : nil)
        else { return nil }
        return (String(prefix[..<range.lowerBound]), String(prefix[range.upperBound...]))
    }

    private static func lastRange(of needle: String, in text: Substring) -> Range<Substring.Index>? {
        text.range(of: needle, options: .backwards)
    }
}
