import Yams

/// Turns a YAML node tree into a ``SweepSpec``, collecting every structural problem with its position.
///
/// Validation works on Yams' node tree rather than through `Codable` so that every problem, type
/// mismatches included, carries a line and column.
struct SpecParser {
    /// The keys of a sweep spec, in the order that "valid keys are" lists them: read through
    /// ``YAMLReader/readKeys(of:as:in:context:reader:unknown:_:)`` so that the keys accepted and suggested are
    /// exactly those that ``parseTopLevel(_:)``'s exhaustive `switch` handles.
    private enum TopLevelKey: String, CaseIterable {
        case sweep, description, params, presets, grid, zip, exclude, include, stages, metrics, slurm
    }

    var reader: YAMLReader

    init(file: String, source: String) {
        reader = YAMLReader(file: file, source: source)
    }

    var file: String { reader.file }
    var source: String { reader.source }
    var diagnostics: [Diagnostic] { reader.diagnostics }

    /// Parses the whole document; returns `nil` when the shape is too broken to build a spec.
    mutating func parse() -> (SweepSpec, PresetTable)? {
        let root = reader.compose()
        guard reader.diagnostics.isEmpty else { return nil }
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
        var slurm = SlurmDefaults()

        readKeys(of: mapping, as: TopLevelKey.self, in: nil) { parser, key, value in
            switch key {
            case .sweep:
                if let text = parser.scalarString(value, what: "'sweep'", expected: "a name such as 'long-data-source'")
                {
                    if Self.isValidSweepName(text) {
                        name = text
                    } else {
                        parser.report(
                            parser.location(of: value),
                            "sweep name '\(text)' is not valid; use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit"
                        )
                    }
                }
            case .description:
                description = parser.scalarString(value, what: "'description'", expected: "text")
            case .params:
                params = parser.parseAssignment(value, what: "'params'")?.entries ?? []
            case .presets:
                if case .mapping(let presets) = value {
                    for (paramNode, presetMap) in presets {
                        guard let param = parser.keyString(paramNode) else { continue }
                        presetNodes.append((Located(param, at: parser.location(of: paramNode)), presetMap))
                    }
                } else {
                    parser.expect(value, what: "'presets'", expected: "a mapping from parameter names to named values")
                }
            case .grid: gridNode = value
            case .zip: zipNode = value
            case .exclude: excludeNode = value
            case .include: includeNode = value
            case .stages: stagesNode = value
            case .metrics: metrics = parser.parseMetrics(value)
            case .slurm: slurm = parser.parseSlurm(value)
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
            exclude: exclude, include: include, stages: stages, metrics: metrics, slurm: slurm,
            source: source)
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

}
