/// Parses, validates and expands a sweep spec in one step, reporting every problem at once.
///
/// ```swift
/// let loaded = try SpecLoader.load(yaml: text, file: "sweeps/long-data.yaml")
/// print(loaded.plan.runCount, loaded.plan.jobCount)
/// for warning in loaded.warnings { print(warning) }
/// ```
public enum SpecLoader {
    /// A spec that passed validation, its expansion, and any warnings.
    public struct Loaded: Sendable {
        /// The parsed spec.
        public let spec: SweepSpec
        /// The runs and jobs.
        public let plan: SweepPlan
        /// Problems that do not stop the sweep (an exclusion that matches nothing, say).
        public let warnings: [Diagnostic]
    }

    /// Validates and expands the spec in `yaml`.
    ///
    /// - Parameters:
    ///   - yaml: The spec's text.
    ///   - file: The file name to show in diagnostics.
    /// - Throws: ``SpecValidationError`` holding every error and warning, sorted by position.
    public static func load(yaml: String, file: String) throws(SpecValidationError) -> Loaded {
        var parser = SpecParser(file: file, source: yaml)
        let parsed = parser.parse()
        var diagnostics = parser.diagnostics
        guard let (spec, presets) = parsed else {
            throw SpecValidationError(diagnostics: diagnostics)
        }
        var checker = SpecChecker(spec: spec, presets: presets, file: file)
        let graphIsSound = checker.check()
        diagnostics += checker.diagnostics
        var plan: SweepPlan?
        if graphIsSound, !spec.stages.isEmpty {
            var expander = SweepExpander(spec: spec, file: file)
            let hasErrors = diagnostics.contains { $0.severity == .error }
            plan = expander.expand(skipJobs: hasErrors)
            diagnostics += expander.diagnostics
        }
        guard let plan, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw SpecValidationError(diagnostics: diagnostics)
        }
        return Loaded(spec: spec, plan: plan, warnings: SpecValidationError(diagnostics: diagnostics).diagnostics)
    }
}
