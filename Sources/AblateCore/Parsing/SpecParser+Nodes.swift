import Yams

/// Node-level helpers, forwarded to the shared ``YAMLReader``.
extension SpecParser {
    mutating func report(_ location: SourceLocation, _ message: String, severity: Diagnostic.Severity = .error) {
        reader.report(location, message, severity: severity)
    }

    func location(of node: Node) -> SourceLocation { reader.location(of: node) }

    func kind(of node: Node) -> String { reader.kind(of: node) }

    mutating func expect(_ node: Node, what: String, expected: String) {
        reader.expect(node, what: what, expected: expected)
    }

    mutating func keyString(_ node: Node) -> String? { reader.keyString(node) }

    mutating func scalarString(_ node: Node, what: String, expected: String) -> String? {
        reader.scalarString(node, what: what, expected: expected)
    }

    mutating func paramValue(_ node: Node) -> ParamValue? { reader.paramValue(node) }

    /// ``YAMLReader/readKeys(of:as:in:context:reader:unknown:_:)`` with this parser as the context, so that the
    /// handlers of a mapping's keys can use the parser's own helpers (`wholeNumber`, `duration`, ...).
    mutating func readKeys<Key: CaseIterable & RawRepresentable<String>>(
        of mapping: Node.Mapping, as _: Key.Type, in place: String?,
        unknown: ((inout SpecParser, _ key: String, _ keyNode: Node, _ value: Node) -> Void)? = nil,
        _ handle: (inout SpecParser, Key, _ value: Node) -> Void
    ) {
        YAMLReader.readKeys(
            of: mapping, as: Key.self, in: place, context: &self, reader: \.reader, unknown: unknown, handle)
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
            if let reason = Self.reservation(of: param) {
                report(location(of: keyNode), reason)
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

    /// Names that `--where` and `ablate runs` give to the run's own fields: a parameter of that name
    /// could never be queried.
    static let reservedNames: Set<String> = ["status", "sweep", "id", "created", "run_id", "full_id"]
    static let reservedPrefixes = ["metric.", "git.", "params."]

    /// Why `name` cannot name a parameter, if it cannot.
    static func reservation(of name: String) -> String? {
        let prefix = reservedPrefixes.first { name.hasPrefix($0) }
        guard reservedNames.contains(name) || prefix != nil else { return nil }
        let what = prefix.map { "names starting with '\($0)' are" } ?? "'\(name)' is"
        return
            "parameter name '\(name)' is reserved: \(what) the run's own fields in '--where' and 'ablate runs'; rename the parameter"
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
