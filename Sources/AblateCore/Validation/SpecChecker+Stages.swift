/// Stage checks: `after` references and cycles, `uses`, and placeholders in `run`.
extension SpecChecker {
    /// Returns `false` when the stage graph cannot be ordered (unknown stages or cycles).
    mutating func checkStages(known: Set<String>) -> Bool {
        let names = spec.stages.map(\.name)
        var sound = true
        var environmentNames: [String: String] = [:]
        for stage in spec.stages {
            if let other = environmentNames[stage.environmentName] {
                report(
                    stage.location,
                    "stages '\(other)' and '\(stage.name)' would both pass their output as ABLATE_INPUT_\(stage.environmentName); rename one"
                )
            } else {
                environmentNames[stage.environmentName] = stage.name
            }
        }
        for stage in spec.stages {
            for upstream in stage.after where !names.contains(upstream.value) {
                report(
                    upstream.location,
                    "stage '\(stage.name)' runs after unknown stage '\(upstream.value)'"
                        + NameSuggestion.hint(for: upstream.value, in: names))
                sound = false
            }
            for use in stage.uses where !known.contains(use.value) {
                report(
                    use.location,
                    "stage '\(stage.name)' uses unknown parameter '\(use.value)'"
                        + NameSuggestion.hint(for: use.value, in: known))
            }
        }
        for stage in spec.stages {
            checkCollectors(of: stage, known: known)
        }
        if !checkCycles() { sound = false }
        for stage in spec.stages {
            checkPlaceholders(of: stage, known: known, graphIsSound: sound)
        }
        if sound { checkFanOut(known: known) }
        return sound
    }

    /// `tokens_per_step` may name only parameters the stage uses, and only whole numbers.
    private mutating func checkCollectors(of stage: Stage, known: Set<String>) {
        let uses = Set(stage.useNames)
        for collector in stage.collect {
            for name in collector.referencedParams {
                if !known.contains(name) {
                    report(
                        collector.location,
                        "'tokens_per_step' of stage '\(stage.name)' names unknown parameter '\(name)'"
                            + NameSuggestion.hint(for: name, in: known))
                } else if !uses.contains(name) {
                    report(
                        collector.location,
                        "'tokens_per_step' of stage '\(stage.name)' names '\(name)', which the stage does not use; add '\(name)' to its 'uses'"
                    )
                } else if let bad = values(of: name).first(where: { if case .int(let v) = $0 { v <= 0 } else { true } })
                {
                    report(
                        collector.location,
                        "'tokens_per_step' of stage '\(stage.name)' multiplies '\(name)', which is \(bad.description) in some runs; it must be a whole number above 0"
                    )
                }
            }
        }
    }

    /// Every value a parameter takes in the spec (base value, axis values, include entries).
    private func values(of name: String) -> [ParamValue] {
        var values: [ParamValue] = []
        for entry in spec.params + spec.include.flatMap(\.entries) where entry.param == name {
            values.append(presets.resolve(entry.value, param: name).value)
        }
        for axis in spec.axes where axis.param == name {
            values += axis.values.map { presets.resolve($0, param: name).value }
        }
        return values
    }

    /// Reports each cycle once; returns `false` if there is one.
    private mutating func checkCycles() -> Bool {
        let index = Dictionary(uniqueKeysWithValues: spec.stages.enumerated().map { ($1.name, $0) })
        var state = [Int](repeating: 0, count: spec.stages.count)  // 0 new, 1 on stack, 2 done
        var stack: [Int] = []
        var acyclic = true
        func visit(_ node: Int) {
            state[node] = 1
            stack.append(node)
            for upstream in spec.stages[node].after {
                guard let next = index[upstream.value] else { continue }
                if state[next] == 1 {
                    let cycleStart = stack.firstIndex(of: next)!
                    let cycle =
                        stack[cycleStart...].map { "'\(spec.stages[$0].name)'" } + ["'\(spec.stages[next].name)'"]
                    report(
                        upstream.location,
                        "stages \(cycle.joined(separator: " -> ")) form a cycle in 'after'; remove one of these dependencies"
                    )
                    acyclic = false
                } else if state[next] == 0 {
                    visit(next)
                }
            }
            stack.removeLast()
            state[node] = 2
        }
        for node in spec.stages.indices where state[node] == 0 {
            visit(node)
        }
        return acyclic
    }

    /// Every stage reachable through `after` from `stage`.
    func ancestors(of stage: Stage) -> Set<String> {
        var seen = Set<String>()
        var pending = stage.afterNames
        while let name = pending.popLast() {
            guard seen.insert(name).inserted, let upstream = spec.stage(named: name) else { continue }
            pending.append(contentsOf: upstream.afterNames)
        }
        return seen
    }

    private mutating func checkPlaceholders(of stage: Stage, known: Set<String>, graphIsSound: Bool) {
        for problem in stage.run.problems {
            report(
                stage.runLocation,
                problem.placeholder.isEmpty
                    ? "the 'run' of stage '\(stage.name)' is not valid: \(problem.reason)"
                    : "placeholder '\(problem.placeholder)' in stage '\(stage.name)' is not valid: \(problem.reason)")
        }
        let uses = Set(stage.useNames)
        var reported = Set<String>()
        for param in stage.run.referencedParams where !uses.contains(param) && reported.insert(param).inserted {
            if known.contains(param) {
                report(
                    stage.runLocation,
                    "placeholder '{params.\(param)}' names '\(param)', which stage '\(stage.name)' does not use; add '\(param)' to its 'uses'"
                )
            } else {
                report(
                    stage.runLocation,
                    "placeholder '{params.\(param)}' in stage '\(stage.name)' names unknown parameter '\(param)'"
                        + NameSuggestion.hint(for: param, in: known))
            }
        }
        guard graphIsSound else { return }
        let upstream = ancestors(of: stage)
        let names = spec.stages.map(\.name)
        for name in stage.run.referencedStages
        where !upstream.contains(name) && reported.insert("stage:" + name).inserted {
            if names.contains(name) {
                report(
                    stage.runLocation,
                    "placeholder '{\(name).output}' names stage '\(name)', which is not upstream of '\(stage.name)'; add '\(name)' to its 'after'"
                )
            } else {
                report(
                    stage.runLocation,
                    "placeholder '{\(name).output}' in stage '\(stage.name)' names unknown stage '\(name)'"
                        + NameSuggestion.hint(for: name, in: names))
            }
        }
    }
}
