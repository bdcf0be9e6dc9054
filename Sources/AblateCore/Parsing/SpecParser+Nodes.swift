import Yams

/// Node-level helpers: positions, type checks and value conversion.
extension SpecParser {
    func location(of node: Node) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(line: 1, column: 1) }
        return SourceLocation(line: mark.line, column: mark.column)
    }

    func kind(of node: Node) -> String {
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

    mutating func expect(_ node: Node, what: String, expected: String) {
        report(location(of: node), "\(what) must be \(expected), not \(kind(of: node))")
    }

    /// A mapping key as a string; reports non-scalar keys.
    mutating func keyString(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else {
            report(location(of: node), "a mapping key must be a plain name, not \(kind(of: node))")
            return nil
        }
        return scalar.string
    }

    /// A scalar's text; reports lists and mappings.
    mutating func scalarString(_ node: Node, what: String, expected: String) -> String? {
        guard case .scalar(let scalar) = node else {
            expect(node, what: what, expected: expected)
            return nil
        }
        return scalar.string
    }

    /// Any YAML value as a parameter value.
    mutating func paramValue(_ node: Node) -> ParamValue? {
        switch node {
        case .scalar(let scalar):
            return YAMLScalars.value(of: scalar)
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

    /// `{param: value, ...}` as an assignment (values not yet preset-resolved).
    mutating func parseAssignment(_ node: Node, what: String) -> Assignment? {
        guard case .mapping(let mapping) = node else {
            expect(node, what: what, expected: "a mapping from parameter names to values")
            return nil
        }
        var entries: [Assignment.Entry] = []
        for (keyNode, valueNode) in mapping {
            guard let param = keyString(keyNode) else { continue }
            if !Self.isValidParamName(param) {
                report(
                    location(of: keyNode),
                    "parameter name '\(param)' is not valid; use letters, digits, '_', '-' and '.', starting with a letter or '_'"
                )
                continue
            }
            guard let value = paramValue(valueNode) else { continue }
            entries.append(
                Assignment.Entry(
                    param: param, location: location(of: keyNode),
                    value: AxisValue(value: value, location: location(of: valueNode))))
        }
        return Assignment(entries: entries, location: location(of: node))
    }

    static func isValidParamName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first,
            ("a"..."z").contains(first) || ("A"..."Z").contains(first) || first == "_"
        else { return false }
        return name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || $0 == "_" || $0 == "-" || $0 == "."
        }
    }
}
