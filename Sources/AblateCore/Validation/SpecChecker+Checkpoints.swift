/// Checks of `checkpoints:` and `over:`: a fan-out needs an upstream stage that declares checkpoints, its
/// steps must be among them, a sweep fans out over one set of steps, and `{STAGE.checkpoint}` and
/// `{checkpoint.step}` stand only in stages that run once per checkpoint.
extension SpecChecker {
    /// The stages that declare `over:`, each with its source stage (the one upstream stage that declares
    /// `checkpoints`), or `nil` where there is none or more than one (reported by ``checkFanOut()``).
    func fanOutSources() -> [(stage: Stage, source: Stage?)] {
        spec.stages.compactMap { stage in
            guard stage.over != nil else { return nil }
            let sources = stage.afterNames.compactMap { spec.stage(named: $0) }.filter { $0.checkpoints != nil }
            return (stage, sources.count == 1 ? sources[0] : nil)
        }
    }

    /// The stages that run once per checkpoint: those with `over:`, and every stage downstream of one.
    func fannedStages() -> Set<String> {
        let roots = Set(spec.stages.filter { $0.over != nil }.map(\.name))
        guard !roots.isEmpty else { return [] }
        return Set(
            spec.stages.filter { roots.contains($0.name) || !ancestors(of: $0).isDisjoint(with: roots) }.map(\.name))
    }

    mutating func checkFanOut(known: Set<String>) {
        var chosen: (stage: String, source: String, steps: [Int])?
        for (stage, source) in fanOutSources() {
            guard let over = stage.over else { continue }
            let declaring = stage.afterNames.filter { spec.stage(named: $0)?.checkpoints != nil }
            guard let source, let checkpoints = source.checkpoints else {
                if declaring.count > 1 {
                    report(
                        over.location,
                        "stage '\(stage.name)' fans out over checkpoints, but stages \(declaring.map { "'\($0)'" }.joined(separator: " and ")) in its 'after' both declare 'checkpoints'; fan out over one training stage"
                    )
                } else {
                    let upstream =
                        stage.after.isEmpty
                        ? "it runs after no stage"
                        : "no stage in its 'after' (\(stage.afterNames.joined(separator: ", "))) declares 'checkpoints'"
                    report(
                        over.location,
                        "stage '\(stage.name)' fans out over checkpoints, but \(upstream); add 'checkpoints: {path: \"checkpoint-{step}\", steps: [...]}' to the training stage it runs after"
                    )
                }
                continue
            }
            var steps = checkpoints.steps
            if let subset = over.steps {
                for step in subset where !checkpoints.steps.contains(step.value) {
                    let beyond = step.value > (checkpoints.lastStep ?? 0) ? ", beyond its last" : ""
                    report(
                        step.location,
                        "step \(step.value) is not a checkpoint of stage '\(source.name)'\(beyond) (its steps are \(checkpoints.steps.map(String.init).joined(separator: ", "))); use those steps"
                    )
                }
                steps = subset.map(\.value)
            }
            if let chosen, chosen.source != source.name || chosen.steps != steps {
                report(
                    over.location,
                    "stages '\(chosen.stage)' and '\(stage.name)' fan out over different checkpoints ('\(chosen.source)' at \(chosen.steps.map(String.init).joined(separator: ", ")), '\(source.name)' at \(steps.map(String.init).joined(separator: ", "))); a sweep fans out over one set of checkpoints"
                )
            } else if chosen == nil {
                chosen = (stage.name, source.name, steps)
            }
        }
        let fanned = fannedStages()
        if !fanned.isEmpty {
            for name in [SweepFanOut.parameter, SweepFanOut.tokensParameter] {
                let definitions =
                    spec.params.filter { $0.param == name }.map(\.location)
                    + spec.axes.filter { $0.param == name }.map(\.location)
                for location in definitions {
                    report(
                        location,
                        "parameter '\(name)' is the implicit parameter of the checkpoint fan-out (the step\(name == SweepFanOut.parameter ? "" : "'s tokens") each run is at); rename it"
                    )
                }
            }
        }
        for stage in spec.stages {
            if let checkpoints = stage.checkpoints {
                checkTokensPerStep(checkpoints, of: stage, known: known)
            }
            let source = fanOutSources().first { $0.stage.name == stage.name }?.source?.name
            for name in Set(stage.run.referencedCheckpoints).sorted() {
                guard stage.over != nil else {
                    report(
                        stage.runLocation,
                        "placeholder '{\(name).checkpoint}' in stage '\(stage.name)' names a checkpoint, but the stage does not fan out over checkpoints; add 'over: checkpoints' to it"
                    )
                    continue
                }
                guard let source else { continue }
                if name != source {
                    report(
                        stage.runLocation,
                        "placeholder '{\(name).checkpoint}' in stage '\(stage.name)' names stage '\(name)', but the sweep fans out over the checkpoints of '\(source)'; write '{\(source).checkpoint}'"
                    )
                }
            }
            if stage.run.referencesCheckpointStep, !fanned.contains(stage.name) {
                report(
                    stage.runLocation,
                    "placeholder '{checkpoint.step}' in stage '\(stage.name)' has no checkpoint: the stage does not fan out over checkpoints; add 'over: checkpoints' to it"
                )
            }
        }
    }

    /// `checkpoints.tokens_per_step` may name only parameters the stage uses.
    private mutating func checkTokensPerStep(_ checkpoints: CheckpointSpec, of stage: Stage, known: Set<String>) {
        let uses = Set(stage.useNames)
        for factor in checkpoints.tokensPerStep ?? [] {
            guard case .param(let name) = factor else { continue }
            if !uses.contains(name) {
                report(
                    checkpoints.location,
                    "'checkpoints.tokens_per_step' of stage '\(stage.name)' names '\(name)', which the stage does not use; add '\(name)' to its 'uses'"
                        + (known.contains(name) ? "" : NameSuggestion.hint(for: name, in: known)))
            }
        }
    }

    /// The resolved fan-out of a spec that passed every check, or `nil` without one.
    func resolvedFanOut() -> SweepFanOut? {
        guard let (stage, source) = fanOutSources().first, let source, let checkpoints = source.checkpoints else {
            return nil
        }
        let steps = stage.over?.steps.map { $0.map(\.value) } ?? checkpoints.steps
        let tokens =
            checkpoints.tokensPerStep
            ?? source.collect.first { $0.kind == .hfTrainer && $0.tokensPerStep != nil }?.tokensPerStep
        return SweepFanOut(
            source: source.name, checkpoints: checkpoints, steps: steps, stages: fannedStages(), tokensPerStep: tokens)
    }
}
