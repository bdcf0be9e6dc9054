import Yams

/// The `presets:` section: named values per parameter, with where each name was written.
struct PresetTable {
    var values: [String: [String: ParamValue]] = [:]
    var locations: [String: [String: SourceLocation]] = [:]
    var paramLocations: [String: SourceLocation] = [:]

    /// Resolves a written value: a string naming a preset of `param` becomes the preset's value, labelled.
    func resolve(_ value: AxisValue, param: String) -> AxisValue {
        guard case .string(let name) = value.value, let preset = values[param]?[name] else { return value }
        return AxisValue(value: preset, label: name, location: value.location)
    }
}

extension SpecParser {
    mutating func parsePresets(_ nodes: [(param: Located<String>, node: Node)]) -> PresetTable {
        var table = PresetTable()
        for (param, node) in nodes {
            guard case .mapping(let mapping) = node else {
                expect(node, what: "presets of '\(param.value)'", expected: "a mapping from preset names to values")
                continue
            }
            table.paramLocations[param.value] = param.location
            for (nameNode, valueNode) in mapping {
                guard let name = keyString(nameNode), let value = paramValue(valueNode) else { continue }
                table.values[param.value, default: [:]][name] = value
                table.locations[param.value, default: [:]][name] = location(of: nameNode)
            }
        }
        return table
    }

    func resolvePreset(_ entry: Assignment.Entry, presets: PresetTable) -> Assignment.Entry {
        var entry = entry
        entry.value = presets.resolve(entry.value, param: entry.param)
        return entry
    }
}
