import Yams

/// A stage's `collect:` list.
extension SpecParser {
    /// The keys of a `collect:` entry besides its collector key, one list for `parseCollector`'s
    /// exhaustive `switch` and its suggestions.
    private enum CollectorOption: String, CaseIterable {
        case tag, seed, shots, lengths, examples
        case tokensPerStep = "tokens_per_step"

        /// The collectors the option applies to.
        var kinds: [CollectorKind] {
            switch self {
            case .tag, .seed, .shots, .lengths, .examples: [.helmet]
            case .tokensPerStep: [.hfTrainer]
            }
        }
    }

    /// `collect: [{helmet: helmet/}, {lm-eval: lm-eval/}, {hf-trainer: .}]`, or one such mapping.
    mutating func parseCollectors(_ node: Node, stage: String) -> [CollectorSpec] {
        let what = "'collect' of stage '\(stage)'"
        let items: [Node]
        switch node {
        case .sequence(let sequence): items = Array(sequence)
        case .mapping: items = [node]
        default:
            expect(node, what: what, expected: "a list such as '[{helmet: helmet/}, {lm-eval: lm-eval/}]'")
            return []
        }
        var collectors: [CollectorSpec] = []
        for item in items {
            guard let collector = parseCollector(item, stage: stage) else { continue }
            if let earlier = collectors.first(where: { $0.kind == collector.kind && $0.path == collector.path }) {
                report(
                    collector.location,
                    "\(what) lists \(collector.kind.rawValue) '\(collector.path)' twice (first at \(earlier.location)); remove one"
                )
                continue
            }
            collectors.append(collector)
        }
        return collectors
    }

    private mutating func parseCollector(_ node: Node, stage: String) -> CollectorSpec? {
        let kinds = CollectorKind.allCases.map(\.rawValue)
        let listed = kinds.map { "'\($0)'" }.joined(separator: ", ")
        guard case .mapping(let mapping) = node else {
            expect(
                node, what: "an entry of 'collect' of stage '\(stage)'",
                expected: "a mapping such as '{helmet: helmet/}'")
            return nil
        }
        let named = mapping.compactMap { key, value in
            key.string.flatMap(CollectorKind.init(rawValue:)).map { (kind: $0, key: key, value: value) }
        }
        guard named.count == 1, let (kind, _, pathNode) = named.first else {
            report(
                location(of: node),
                named.isEmpty
                    ? "an entry of 'collect' of stage '\(stage)' names no collector; give one of \(listed) with the folder it reads, such as '{helmet: helmet/}'"
                    : "an entry of 'collect' of stage '\(stage)' names \(named.count) collectors; write one entry per collector"
            )
            return nil
        }
        guard
            let path = scalarString(
                pathNode, what: "the \(kind.rawValue) folder of stage '\(stage)'",
                expected: "a path in the job directory")
        else { return nil }
        guard let checked = Self.jobRelativePath(path) else {
            report(
                location(of: pathNode),
                "the \(kind.rawValue) folder '\(path)' of stage '\(stage)' is not inside the job directory; give a relative path such as 'helmet/' or '.'"
            )
            return nil
        }
        var collector = CollectorSpec(kind: kind, path: checked, location: location(of: node))
        let options = Node.Mapping(mapping.filter { $0.key.string != kind.rawValue })
        readKeys(
            of: options, as: CollectorOption.self, in: "the \(kind.rawValue) collector of stage '\(stage)'",
            unknown: { parser, key, keyNode, _ in
                let valid = CollectorOption.allCases.filter { $0.kinds.contains(kind) }.map(\.rawValue)
                let hint =
                    kinds.contains(key)
                    ? "; write one entry per collector"
                    : valid.isEmpty ? "; it takes no options" : parser.reader.hintOrList(key, valid)
                parser.report(
                    parser.location(of: keyNode),
                    "unknown key '\(key)' in the \(kind.rawValue) collector of stage '\(stage)'" + hint)
            }
        ) { parser, option, value in
            let what = "'\(option.rawValue)' of the \(kind.rawValue) collector of stage '\(stage)'"
            guard option.kinds.contains(kind) else {
                parser.report(
                    parser.location(of: value),
                    "\(what) does not apply: '\(option.rawValue)' is an option of \(option.kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")); remove it"
                )
                return
            }
            switch option {
            case .tag:
                collector.tag = parser.scalarString(value, what: what, expected: "the --tag HELMET ran with")
            case .seed:
                collector.seed = parser.wholeNumber(value, what: what, minimum: 0)
            case .shots:
                collector.shots = parser.wholeNumber(value, what: what, minimum: 0)
            case .lengths:
                guard case .sequence(let sequence) = value else {
                    parser.expect(value, what: what, expected: "a list of input lengths such as [32768, 65536]")
                    return
                }
                collector.lengths = sequence.compactMap {
                    parser.wholeNumber($0, what: "an entry of \(what)", minimum: 1)
                }
            case .examples:
                if case .scalar(let scalar) = value, case .bool(let flag) = YAMLScalars.value(of: scalar) {
                    collector.examples = flag
                } else {
                    parser.expect(value, what: what, expected: "true or false")
                }
            case .tokensPerStep:
                collector.tokensPerStep = parser.tokenFactors(value, what: what)
            }
        }
        return collector
    }

    /// `4194304`, or factors joined by `*`: whole numbers and `{params.NAME}`.
    mutating func tokenFactors(_ node: Node, what: String) -> [CollectorSpec.TokenFactor]? {
        let expected = "a whole number or a product such as '{params.bsz} * 65536'"
        guard case .scalar(let scalar) = node else {
            expect(node, what: what, expected: expected)
            return nil
        }
        var factors: [CollectorSpec.TokenFactor] = []
        for part in scalar.string.split(separator: "*", omittingEmptySubsequences: false) {
            let text = String(part).trimmingSpaces()
            if let number = Int64(text), number > 0 {
                factors.append(.number(number))
            } else if text.hasPrefix("{params."), text.hasSuffix("}"), text.count > 9 {
                factors.append(.param(String(text.dropFirst(8).dropLast())))
            } else {
                report(location(of: node), "\(what) is '\(scalar.string)'; write \(expected)")
                return nil
            }
        }
        return factors
    }

    /// `path` without `./` and trailing `/`, or `nil` when it leaves the job directory (absolute, `..`).
    static func jobRelativePath(_ path: String) -> String? {
        let trimmed = path.trimmingSpaces()
        guard !trimmed.isEmpty, !trimmed.hasPrefix("/"), !trimmed.hasPrefix("~") else { return nil }
        let parts = trimmed.split(separator: "/").filter { $0 != "." }
        guard !parts.contains("..") else { return nil }
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
