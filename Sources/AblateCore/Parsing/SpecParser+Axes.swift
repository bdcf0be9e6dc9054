import Yams

/// `grid`, `zip`, `exclude` and `include`.
extension SpecParser {
    mutating func parseGrid(_ node: Node, presets: PresetTable) -> [Axis] {
        guard case .mapping(let mapping) = node else {
            expect(node, what: "'grid'", expected: "a mapping from parameter names to lists of values")
            return []
        }
        return mapping.compactMap { keyNode, valuesNode in
            parseAxis(keyNode, valuesNode, context: "grid axis", presets: presets)
        }
    }

    mutating func parseZip(_ node: Node, presets: PresetTable) -> [ZipGroup] {
        let groupNodes: [Node]
        switch node {
        case .sequence(let sequence): groupNodes = Array(sequence)
        case .mapping: groupNodes = [node]
        default:
            expect(node, what: "'zip'", expected: "a list of groups such as '- {param: [...], other: [...]}'")
            return []
        }
        var groups: [ZipGroup] = []
        for groupNode in groupNodes {
            guard case .mapping(let mapping) = groupNode else {
                expect(groupNode, what: "a zip group", expected: "a mapping from parameter names to lists of values")
                continue
            }
            let axes = mapping.compactMap { keyNode, valuesNode in
                parseAxis(keyNode, valuesNode, context: "zip list", presets: presets)
            }
            if let first = axes.first {
                for axis in axes.dropFirst() where axis.values.count != first.values.count {
                    report(
                        axis.location,
                        "zip lists have unequal lengths: '\(first.param)' has \(first.values.count) value\(first.values.count == 1 ? "" : "s"), '\(axis.param)' has \(axis.values.count); lists in one zip group vary together and must be equally long"
                    )
                }
            }
            groups.append(ZipGroup(axes: axes, location: location(of: groupNode)))
        }
        return groups
    }

    private mutating func parseAxis(_ keyNode: Node, _ valuesNode: Node, context: String, presets: PresetTable) -> Axis?
    {
        guard let param = keyString(keyNode) else { return nil }
        let paramLocation = location(of: keyNode)
        if !Self.isValidParamName(param) {
            report(
                paramLocation,
                "parameter name '\(param)' is not valid; use letters, digits, '_', '-' and '.', starting with a letter or '_'"
            )
            return nil
        }
        if let reason = Self.reservation(of: param) {
            report(paramLocation, reason)
            return nil
        }
        guard case .sequence(let sequence) = valuesNode else {
            report(
                location(of: valuesNode),
                "\(context) '\(param)' must be a list of values, not \(kind(of: valuesNode)); write [value] for a single value"
            )
            return nil
        }
        if sequence.isEmpty {
            // Kept (with no values) so that references to the parameter are still checked.
            report(location(of: valuesNode), "\(context) '\(param)' has no values; give at least one")
        }
        var values: [AxisValue] = []
        var seen: [ParamValue: SourceLocation] = [:]
        for item in sequence {
            guard let value = paramValue(item) else { continue }
            let resolved = presets.resolve(AxisValue(value: value, location: location(of: item)), param: param)
            if let earlier = seen[resolved.value] {
                report(
                    resolved.location,
                    "value '\(resolved.displayName)' appears twice in \(context) '\(param)' (first at \(earlier)); remove one"
                )
                continue
            }
            seen[resolved.value] = resolved.location
            values.append(resolved)
        }
        return Axis(param: param, location: paramLocation, values: values)
    }

    mutating func parseAssignments(_ node: Node, what: String, presets: PresetTable) -> [Assignment] {
        guard case .sequence(let sequence) = node else {
            expect(node, what: "'\(what)'", expected: "a list of mappings such as '- {param: value}'")
            return []
        }
        var assignments: [Assignment] = []
        for item in sequence {
            guard var assignment = parseAssignment(item, what: "an '\(what)' entry") else { continue }
            if assignment.entries.isEmpty {
                report(assignment.location, "an '\(what)' entry is empty; give at least one 'param: value'")
                continue
            }
            assignment.entries = assignment.entries.map { resolvePreset($0, presets: presets) }
            assignments.append(assignment)
        }
        return assignments
    }
}
