import Yams

/// Turns a YAML node tree into a ``SweepSpec``, collecting every structural problem with its position.
///
/// Validation works on Yams' node tree rather than through `Codable` so that every problem, type
/// mismatches included, carries a line and column.
struct SpecParser {
    static let topLevelKeys = [
        "sweep", "description", "params", "presets", "grid", "zip", "exclude", "include", "stages", "metrics",
    ]

    let file: String
    let source: String
    var diagnostics: [Diagnostic] = []

    init(file: String, source: String) {
        self.file = file
        self.source = source
    }

    /// Parses the whole document; returns `nil` when the shape is too broken to build a spec.
    mutating func parse() -> (SweepSpec, PresetTable)? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: source, YAMLScalars.resolver)
        } catch let error as YamlError {
            diagnose(yamlError: error)
            return nil
        } catch {
            report(SourceLocation(line: 1, column: 1), "cannot read the file as YAML: \(error)")
            return nil
        }
        guard let root else {
            report(SourceLocation(line: 1, column: 1), "the spec is empty; it needs at least 'sweep' and 'stages'")
            return nil
        }
        guard case .mapping(let mapping) = root else {
            report(
                location(of: root),
                "the spec must be a mapping with keys such as 'sweep' and 'stages', not \(kind(of: root))")
            return nil
        }
        return parseTopLevel(mapping)
    }

    private mutating func parseTopLevel(_ mapping: Node.Mapping) -> (SweepSpec, PresetTable)? {
        var name: String?
        var description: String?
        var params: [Assignment.Entry] = []
        var presetNodes: [(param: Located<String>, node: Node)] = []
        var gridNode: Node?
        var zipNode: Node?
        var excludeNode: Node?
        var includeNode: Node?
        var stagesNode: Node?
        var metrics: [MetricDeclaration] = []

        for (keyNode, value) in mapping {
            guard let key = keyString(keyNode) else { continue }
            switch key {
            case "sweep":
                if let text = scalarString(value, what: "'sweep'", expected: "a name such as 'long-data-source'") {
                    if Self.isValidSweepName(text) {
                        name = text
                    } else {
                        report(
                            location(of: value),
                            "sweep name '\(text)' is not valid; use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit"
                        )
                    }
                }
            case "description":
                description = scalarString(value, what: "'description'", expected: "text")
            case "params":
                params = parseAssignment(value, what: "'params'")?.entries ?? []
            case "presets":
                if case .mapping(let presets) = value {
                    for (paramNode, presetMap) in presets {
                        guard let param = keyString(paramNode) else { continue }
                        presetNodes.append((Located(param, at: location(of: paramNode)), presetMap))
                    }
                } else {
                    expect(value, what: "'presets'", expected: "a mapping from parameter names to named values")
                }
            case "grid": gridNode = value
            case "zip": zipNode = value
            case "exclude": excludeNode = value
            case "include": includeNode = value
            case "stages": stagesNode = value
            case "metrics": metrics = parseMetrics(value)
            default:
                report(location(of: keyNode), "unknown key '\(key)'" + hintOrList(key, Self.topLevelKeys))
            }
        }

        let presets = parsePresets(presetNodes)
        let grid = gridNode.map { parseGrid($0, presets: presets) } ?? []
        let zip = zipNode.map { parseZip($0, presets: presets) } ?? []
        let exclude = excludeNode.map { parseAssignments($0, what: "exclude", presets: presets) } ?? []
        let include = includeNode.map { parseAssignments($0, what: "include", presets: presets) } ?? []
        params = params.map { resolvePreset($0, presets: presets) }
        let stages = stagesNode.map { parseStages($0) } ?? []

        let start = SourceLocation(line: 1, column: 1)
        if name == nil, !mapping.contains(where: { $0.key.string == "sweep" }) {
            report(start, "missing required key 'sweep'; add a name such as 'sweep: long-data-source'")
        }
        if stagesNode == nil {
            report(start, "missing required key 'stages'; add at least one stage with a 'run' command")
        }
        // Go on with a stand-in name so that the rest of the spec is checked too; the error is recorded.
        let spec = SweepSpec(
            name: name ?? "invalid", description: description, params: params, presets: presets.values, grid: grid,
            zip: zip,
            exclude: exclude, include: include, stages: stages, metrics: metrics, source: source)
        return (spec, presets)
    }

    static func isValidSweepName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isLowerAlnum(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLowerAlnum($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    static func isLowerAlnum(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    // MARK: - Diagnostics

    mutating func report(_ location: SourceLocation, _ message: String, severity: Diagnostic.Severity = .error) {
        diagnostics.append(Diagnostic(file: file, location: location, severity: severity, message: message))
    }

    private mutating func diagnose(yamlError error: YamlError) {
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

    func hintOrList(_ key: String, _ valid: [String]) -> String {
        if let nearest = NameSuggestion.nearest(to: key, in: valid) {
            return "; did you mean '\(nearest)'?"
        }
        return "; valid keys are " + valid.map { "'\($0)'" }.joined(separator: ", ")
    }
}
