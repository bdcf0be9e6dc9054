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
    ///   - codeIdentity: For each stage with `code: key`, the identity of the code in its `repo` (its
    ///     commit and a hash of its uncommitted changes); reading repositories is I/O, so the caller
    ///     provides it. An error it throws is reported at the stage's `code:`.
    /// - Throws: ``SpecValidationError`` holding every error and warning, sorted by position.
    public static func load(
        yaml: String, file: String, codeIdentity: ((Stage) throws -> String)? = nil
    ) throws(SpecValidationError) -> Loaded {
        var parser = SpecParser(file: file, source: yaml)
        let parsed = parser.parse()
        var diagnostics = parser.diagnostics
        guard let parsed else {
            throw SpecValidationError(diagnostics: diagnostics)
        }
        var spec = parsed.0
        let presets = parsed.1
        for index in spec.stages.indices where spec.stages[index].code == .key && spec.stages[index].repo != nil {
            let stage = spec.stages[index]
            do {
                guard let codeIdentity else {
                    throw CodeIdentityUnavailable(reason: "this caller reads no repositories")
                }
                spec.stages[index].codeIdentity = try codeIdentity(stage)
            } catch {
                diagnostics.append(
                    Diagnostic(
                        file: file, location: stage.codeLocation ?? stage.location, severity: .error,
                        message:
                            "stage '\(stage.name)' has 'code: key' but the code of its repo '\(stage.repo ?? "")' cannot be read: \(error.localizedDescription)"
                    ))
            }
        }
        var checker = SpecChecker(spec: spec, presets: presets, file: file)
        let graphIsSound = checker.check()
        diagnostics += checker.diagnostics
        if graphIsSound, !diagnostics.contains(where: { $0.severity == .error }), let fanOut = checker.resolvedFanOut()
        {
            // Every run is a point at one checkpoint step; the stages that run once per step use it.
            spec.fanOut = fanOut
            for index in spec.stages.indices where fanOut.stages.contains(spec.stages[index].name) {
                let location = spec.stages[index].over?.location ?? spec.stages[index].location
                spec.stages[index].uses.append(Located(SweepFanOut.parameter, at: location))
            }
        }
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
