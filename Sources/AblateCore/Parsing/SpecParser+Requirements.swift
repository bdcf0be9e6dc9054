import Yams

/// A stage's `requires:` and `produces:`.
extension SpecParser {
    /// The keys of `requires`, one list for `parseRequirements`'s exhaustive `switch` and its suggestions.
    private enum RequirementKey: String, CaseIterable {
        case env, paths
    }

    /// `requires: {env: [PROLONG_DIR], paths: ["$PROLONG_DIR/train_64K.sh"]}`.
    mutating func parseRequirements(_ node: Node, stage: String) -> StageRequirements {
        guard case .mapping(let mapping) = node else {
            expect(
                node, what: "'requires' of stage '\(stage)'",
                expected: "a mapping such as '{env: [PROLONG_DIR], paths: [\"$PROLONG_DIR/train_64K.sh\"]}'")
            return StageRequirements()
        }
        var requirements = StageRequirements()
        readKeys(of: mapping, as: RequirementKey.self, in: "'requires' of stage '\(stage)'") { parser, key, value in
            let what = "'requires.\(key.rawValue)' of stage '\(stage)'"
            let entries = parser.stringList(value, what: what, expected: key == .env ? "variable names" : "paths")
            switch key {
            case .env:
                for entry in entries {
                    let valid =
                        entry.value.first.map { $0.isLetter || $0 == "_" } == true
                        && entry.value.allSatisfy { ($0.isLetter || $0.isNumber || $0 == "_") && $0.isASCII }
                    if valid {
                        requirements.environment.append(entry)
                    } else {
                        parser.report(
                            entry.location,
                            "'\(entry.value)' in \(what) is not an environment variable name; write it without '$', such as PROLONG_DIR"
                        )
                    }
                }
            case .paths:
                requirements.paths = entries
            }
        }
        return requirements
    }

    /// `produces: [config.json, "*.safetensors"]`: relative paths, each inside the job directory.
    mutating func parseProduces(_ node: Node, stage: String) -> [Located<String>] {
        let what = "'produces' of stage '\(stage)'"
        var produced: [Located<String>] = []
        for entry in stringList(node, what: what, expected: "paths in the job directory") {
            if Self.jobRelativePath(entry.value) == nil || entry.value.trimmingSpaces() == "." {
                report(
                    entry.location,
                    "'\(entry.value)' in \(what) is not a path inside the job directory; give one relative to it, such as 'config.json' or 'checkpoint-*/trainer_state.json'"
                )
            } else {
                produced.append(entry)
            }
        }
        return produced
    }

    /// A string or a list of strings, each with where it was written.
    mutating func stringList(_ node: Node, what: String, expected: String) -> [Located<String>] {
        let items: [Node]
        switch node {
        case .sequence(let sequence): items = Array(sequence)
        case .scalar: items = [node]
        default:
            expect(node, what: what, expected: "a list of \(expected)")
            return []
        }
        return items.compactMap { item in
            scalarString(item, what: "an entry of \(what)", expected: "text").map {
                Located($0, at: location(of: item))
            }
        }
    }
}
