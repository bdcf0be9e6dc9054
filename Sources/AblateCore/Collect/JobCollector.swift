/// A collector as one job runs it: ``CollectorSpec`` with its parameters filled in. Stored with the job
/// (`jobs.collect`), outside its key, so that fixing a collector never runs a job again.
public struct JobCollector: Sendable, Hashable {
    /// The reader.
    public var kind: CollectorKind
    /// The folder or file it reads, relative to the job directory.
    public var path: String
    /// HELMET: the tag to select; `nil` for the only one present.
    public var tag: String?
    /// HELMET: the seed to select; `nil` for 42, eval.py's default.
    public var seed: Int?
    /// HELMET: the shots to select; `nil` for whatever the files hold.
    public var shots: Int?
    /// HELMET: the input lengths to record; `nil` for all.
    public var lengths: [Int]?
    /// HELMET: whether to keep each example's scores (`nil`: no).
    public var examples: Bool?
    /// HF Trainer: tokens per optimizer step, to record `tokens` beside `step`.
    public var tokensPerStep: Int64?

    /// Creates a job's collector.
    public init(kind: CollectorKind, path: String) {
        self.kind = kind
        self.path = path
    }

    /// A stable name for the collector within its job (`helmet:helmet/`), the unit that collecting again
    /// replaces.
    public var name: String { "\(kind.rawValue):\(path)" }

    /// The collector as canonical JSON, as `jobs.collect` stores a list of them.
    public var paramValue: ParamValue {
        var object: [String: ParamValue] = ["kind": .string(kind.rawValue), "path": .string(path)]
        if let tag { object["tag"] = .string(tag) }
        if let seed { object["seed"] = .int(Int64(seed)) }
        if let shots { object["shots"] = .int(Int64(shots)) }
        if let lengths { object["lengths"] = .array(lengths.map { .int(Int64($0)) }) }
        if let examples { object["examples"] = .bool(examples) }
        if let tokensPerStep { object["tokens_per_step"] = .int(tokensPerStep) }
        return .object(object)
    }

    /// Reads a collector back from ``paramValue``'s form; `nil` for anything else.
    public init?(_ value: ParamValue) {
        guard case .object(let object) = value, let kindName = object["kind"]?.stringValue,
            let kind = CollectorKind(rawValue: kindName), let path = object["path"]?.stringValue
        else { return nil }
        self.init(kind: kind, path: path)
        tag = object["tag"]?.stringValue
        if case .int(let value)? = object["seed"] { seed = Int(value) }
        if case .int(let value)? = object["shots"] { shots = Int(value) }
        if case .array(let items)? = object["lengths"] {
            lengths = items.compactMap { if case .int(let value) = $0 { Int(value) } else { nil } }
        }
        if case .int(let value)? = object["tokens_per_step"] { tokensPerStep = value }
        if case .bool(let value)? = object["examples"] { examples = value }
    }

    /// A job's collectors as stored in `jobs.collect`.
    public static func list(from json: String?) -> [JobCollector] {
        guard let json, case .array(let items)? = try? JSONParser.parse(json) else { return [] }
        return items.compactMap(JobCollector.init)
    }

    /// A list of collectors as `jobs.collect` stores it.
    public static func json(_ collectors: [JobCollector]) -> String {
        ParamValue.array(collectors.map(\.paramValue)).canonicalJSON
    }
}
