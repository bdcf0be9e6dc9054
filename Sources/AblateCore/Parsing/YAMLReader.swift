import Yams

/// Reads a YAML document as a node tree and collects diagnostics with positions: the shared machinery
/// of the sweep-spec and report-spec parsers. Working on Yams' nodes rather than through `Codable`
/// keeps a line and column for every problem, type mismatches included.
public struct YAMLReader: Sendable {
    /// The file name shown in diagnostics.
    public let file: String
    /// The document's text.
    public let source: String
    /// Every problem found so far.
    public private(set) var diagnostics: [Diagnostic] = []

    /// A reader for `source`, reported as `file`.
    public init(file: String, source: String) {
        self.file = file
        self.source = source
    }

    /// Composes the document with YAML 1.2 core-schema scalars; reports syntax errors and returns `nil`
    /// for them (and for an empty document, without a report).
    public mutating func compose() -> Node? {
        do {
            guard let node = try Yams.compose(yaml: source, YAMLScalars.resolver) else { return nil }
            guard Self.nodeCount(node, limit: Self.maximumNodes) <= Self.maximumNodes else {
                report(
                    SourceLocation(line: 1, column: 1),
                    "the document expands to more than \(Self.maximumNodes.grouped) YAML nodes (aliases repeat "
                        + "what they name); write it without nesting aliases in aliases")
                return nil
            }
            return node
        } catch let error as YamlError {
            diagnose(yamlError: error)
        } catch {
            report(SourceLocation(line: 1, column: 1), "cannot read the file as YAML: \(error)")
        }
        return nil
    }

    /// The most nodes a document may expand to, aliases counted as often as they appear: a few hundred
    /// bytes of nested aliases otherwise stand for billions of nodes.
    public static let maximumNodes = 1_000_000

    /// The nodes of `node`'s tree, aliases expanded, counting no further than just past `limit`.
    static func nodeCount(_ node: Node, limit: Int) -> Int {
        var count = 0
        var pending = [node]
        while let next = pending.popLast() {
            count += 1
            if count > limit { return count }
            switch next {
            case .sequence(let sequence): pending.append(contentsOf: sequence)
            case .mapping(let mapping):
                for (key, value) in mapping {
                    pending.append(key)
                    pending.append(value)
                }
            case .scalar, .alias: break
            }
        }
        return count
    }

    /// Records a diagnostic.
    public mutating func report(_ location: SourceLocation, _ message: String, severity: Diagnostic.Severity = .error) {
        diagnostics.append(Diagnostic(file: file, location: location, severity: severity, message: message))
    }

    mutating func diagnose(yamlError error: YamlError) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let contextText = context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? ""
            report(SourceLocation(line: mark.line, column: mark.column), "YAML syntax error: \(problem)\(contextText)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            report(
                SourceLocation(line: context.mark.line, column: context.mark.column),
                "duplicate key \(keys) in one mapping; each key may appear once")
        case .reader(let problem, _, _, _):
            report(SourceLocation(line: 1, column: 1), "cannot read the file as YAML: \(problem)")
        default:
            report(SourceLocation(line: 1, column: 1), "cannot read the file as YAML: \(error)")
        }
    }

    /// `"; did you mean 'X'?"`, or the list of valid keys.
    public func hintOrList(_ key: String, _ valid: [String]) -> String {
        if let nearest = NameSuggestion.nearest(to: key, in: valid) {
            return "; did you mean '\(nearest)'?"
        }
        return "; valid keys are " + valid.map { "'\($0)'" }.joined(separator: ", ")
    }

    /// Walks a mapping whose valid keys are the cases of `Key`, in the mapping's order: calls `handle` for each
    /// entry whose key is one of them and reports any other key as `unknown key 'X' in PLACE; did you mean 'Y'?`
    /// (see ``hintOrList(_:_:)``), or hands it to `unknown` instead where one is given.
    ///
    /// It exists so that the keys a mapping accepts, the keys its messages suggest and the keys its parser
    /// handles cannot drift apart: all three are `Key.allCases` (in their order, which is the order of the
    /// "valid keys are" list), and an exhaustive `switch` over `Key` in `handle` must handle each. Both the
    /// sweep-spec and the report-spec parser read every mapping with fixed keys through it.
    ///
    /// `context` is the reader itself, or a parser that holds it at `reader`; it is passed to the closures
    /// rather than captured, so that they can report through it. Duplicate keys never reach the walk:
    /// ``compose()`` has already reported them.
    ///
    /// - Parameters:
    ///   - mapping: The mapping to walk.
    ///   - place: Where the mapping is, for the message: `"'slurm'"`, `"stage 'sft'"`; `nil` at the top level.
    ///   - unknown: Called, instead of the report, with a key that is not one of `Key`'s, its node and its value.
    ///   - handle: Called with each known key and its value.
    public static func readKeys<Context, Key: CaseIterable & RawRepresentable<String>>(
        of mapping: Node.Mapping, as _: Key.Type, in place: String?, context: inout Context,
        reader: WritableKeyPath<Context, YAMLReader>,
        unknown: ((inout Context, _ key: String, _ keyNode: Node, _ value: Node) -> Void)? = nil,
        _ handle: (inout Context, Key, _ value: Node) -> Void
    ) {
        for (keyNode, value) in mapping {
            guard let name = context[keyPath: reader].keyString(keyNode) else { continue }
            if let key = Key.allCases.first(where: { $0.rawValue == name }) {
                handle(&context, key, value)
            } else if let unknown {
                unknown(&context, name, keyNode, value)
            } else {
                let hint = context[keyPath: reader].hintOrList(name, Key.allCases.map(\.rawValue))
                let location = context[keyPath: reader].location(of: keyNode)
                context[keyPath: reader].report(
                    location, "unknown key '\(name)'" + (place.map { " in \($0)" } ?? "") + hint)
            }
        }
    }

    /// ``readKeys(of:as:in:context:reader:unknown:_:)`` for code that holds the reader itself, such as the
    /// report-spec parser: the reader is the context.
    public mutating func readKeys<Key: CaseIterable & RawRepresentable<String>>(
        of mapping: Node.Mapping, as _: Key.Type, in place: String?,
        _ handle: (inout YAMLReader, Key, _ value: Node) -> Void
    ) {
        Self.readKeys(of: mapping, as: Key.self, in: place, context: &self, reader: \.self, handle)
    }

    /// Where `node` starts.
    public func location(of node: Node) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(line: 1, column: 1) }
        return SourceLocation(line: mark.line, column: mark.column)
    }

    /// "a list", "a mapping", "a number"...: for messages.
    public func kind(of node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            switch YAMLScalars.value(of: scalar) {
            case .null: return "an empty value"
            case .bool: return "a boolean"
            case .int, .double: return "a number"
            default: return "a string"
            }
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// Reports that `node` is not of the expected kind.
    public mutating func expect(_ node: Node, what: String, expected: String) {
        report(location(of: node), "\(what) must be \(expected), not \(kind(of: node))")
    }

    /// A mapping key as a string; reports non-scalar keys.
    public mutating func keyString(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else {
            report(location(of: node), "a mapping key must be a plain name, not \(kind(of: node))")
            return nil
        }
        return scalar.string
    }

    /// A scalar's text; reports lists and mappings.
    public mutating func scalarString(_ node: Node, what: String, expected: String) -> String? {
        guard case .scalar(let scalar) = node else {
            expect(node, what: what, expected: expected)
            return nil
        }
        return scalar.string
    }

    /// Any YAML value as a parameter value.
    public mutating func paramValue(_ node: Node) -> ParamValue? {
        switch node {
        case .scalar(let scalar):
            let value = YAMLScalars.value(of: scalar)
            switch value {
            case .double(let number) where !number.isFinite:
                report(
                    location(of: node),
                    "'\(scalar.string)' is not a finite number; a value reaches commands and job keys, so it must be one (quote it for text)"
                )
                return nil
            case .string(let text) where text.unicodeScalars.contains("\u{0}"):
                report(
                    location(of: node), "the value contains a NUL character, which no command can receive; remove it")
                return nil
            default:
                return value
            }
        case .sequence(let sequence):
            var items: [ParamValue] = []
            for item in sequence {
                guard let value = paramValue(item) else { return nil }
                items.append(value)
            }
            return .array(items)
        case .mapping(let mapping):
            var members: [String: ParamValue] = [:]
            for (keyNode, valueNode) in mapping {
                guard let key = keyString(keyNode), let value = paramValue(valueNode) else { return nil }
                members[key] = value
            }
            return .object(members)
        case .alias:
            report(location(of: node), "YAML aliases that cannot be resolved are not supported here")
            return nil
        }
    }
}
