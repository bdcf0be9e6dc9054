/// One entry of a stage's `collect:` list, as written: which reader, where in the job directory, and its
/// options. ``resolved(params:)`` makes the ``JobCollector`` of one job.
public struct CollectorSpec: Sendable, Hashable {
    /// The reader.
    public var kind: CollectorKind
    /// The folder (or file) it reads, relative to the job directory (`.` for the directory itself).
    public var path: String
    /// HELMET: the `--tag` of the files to read (default: the only tag present; several are an error).
    public var tag: String?
    /// HELMET: the `--seed` of the files to read (default 42, eval.py's default).
    public var seed: Int?
    /// HELMET: the number of demonstrations (`shots`) of the files to read (default: as HELMET's configs
    /// give them, i.e. whatever the files say, one value per dataset).
    public var shots: Int?
    /// HELMET: the input lengths to record (default: every length found).
    public var lengths: [Int]?
    /// HELMET: also keep each example's scores from the result files' `data`, for paired tests (default
    /// false: the files hold every prompt, and reading them all is slow).
    public var examples: Bool?
    /// HF Trainer: the tokens one optimizer step consumes, as factors: whole numbers and parameter names
    /// (`tokens_per_step: "{params.bsz} * 65536"`), multiplied per job.
    public var tokensPerStep: [TokenFactor]?
    /// Where the entry was written.
    public var location: SourceLocation

    /// A factor of `tokens_per_step`.
    public enum TokenFactor: Sendable, Hashable {
        /// A whole number.
        case number(Int64)
        /// A parameter of the job (`{params.NAME}`), which must be a whole number.
        case param(String)
    }

    /// Creates a collector entry.
    public init(kind: CollectorKind, path: String, location: SourceLocation) {
        self.kind = kind
        self.path = path
        self.location = location
    }

    /// The parameters `tokens_per_step` names (they must be in the stage's `uses`).
    public var referencedParams: [String] {
        (tokensPerStep ?? []).compactMap { if case .param(let name) = $0 { name } else { nil } }
    }

    /// The collector of a job whose config is `params`; `nil` tokens per step when a named parameter is
    /// not a whole number (the checker reports this for every value of the sweep first).
    public func resolved(params: [String: ParamValue]) -> JobCollector {
        var collector = JobCollector(kind: kind, path: path)
        collector.tag = tag
        collector.seed = seed
        collector.shots = shots
        collector.lengths = lengths
        collector.examples = examples
        if let factors = tokensPerStep {
            var product: Int64? = 1
            for factor in factors {
                let value: Int64?
                switch factor {
                case .number(let number): value = number
                case .param(let name):
                    value = params[name].flatMap { if case .int(let number) = $0 { number } else { nil } }
                }
                guard let current = product, let value else {
                    product = nil
                    break
                }
                let (result, overflow) = current.multipliedReportingOverflow(by: value)
                product = overflow ? nil : result
            }
            collector.tokensPerStep = product
        }
        return collector
    }
}
