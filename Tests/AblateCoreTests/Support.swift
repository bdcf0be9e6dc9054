@testable import AblateCore

/// Loads `yaml` and returns every diagnostic as text (`t.yaml:L:C: error: ...`), or `[]` when valid.
func diagnostics(_ yaml: String) -> [String] {
    do {
        let loaded = try SpecLoader.load(yaml: yaml, file: "t.yaml")
        return loaded.warnings.map(\.description)
    } catch {
        return error.diagnostics.map(\.description)
    }
}

/// Loads a spec that must be valid.
func load(_ yaml: String, file: String = "t.yaml") throws -> SpecLoader.Loaded {
    try SpecLoader.load(yaml: yaml, file: file)
}

/// The params of every run, as `name=value` strings joined by spaces, in run order.
func runLines(_ plan: SweepPlan) -> [String] {
    (0..<plan.runCount).map { index in
        plan.runParams(index).map { "\($0.name)=\($0.value.displayName)" }.joined(separator: " ")
    }
}
