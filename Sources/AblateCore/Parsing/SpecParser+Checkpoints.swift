import Yams

/// A stage's `checkpoints:` and `over:`.
extension SpecParser {
    /// The keys of `checkpoints`, one list for `parseCheckpoints`'s exhaustive `switch` and its suggestions.
    private enum CheckpointKey: String, CaseIterable {
        case path, steps, every, last, ready
        case tokensPerStep = "tokens_per_step"
    }

    /// `checkpoints: {path: "checkpoint-{step}", steps: [250, 500], ready: [trainer_state.json]}`, or with
    /// `every: N` and `last: M` instead of `steps`.
    mutating func parseCheckpoints(_ node: Node, stage: String) -> CheckpointSpec? {
        let what = "'checkpoints' of stage '\(stage)'"
        guard case .mapping(let mapping) = node else {
            expect(
                node, what: what,
                expected: "a mapping such as '{path: \"checkpoint-{step}\", steps: [250, 500, 750, 1000]}'")
            return nil
        }
        var path: String?
        var steps: [Int]?
        var every: (Int, SourceLocation)?
        var last: (Int, SourceLocation)?
        var ready = CheckpointSpec.defaultReady
        var tokens: [CollectorSpec.TokenFactor]?
        var valid = true
        readKeys(of: mapping, as: CheckpointKey.self, in: what) { parser, key, value in
            let keyWhat = "'checkpoints.\(key.rawValue)' of stage '\(stage)'"
            switch key {
            case .path:
                guard let text = parser.scalarString(value, what: keyWhat, expected: "a path with {step}") else {
                    valid = false
                    return
                }
                if !text.contains("{step}") {
                    parser.report(
                        parser.location(of: value),
                        "\(keyWhat) is '\(text)', which has no '{step}'; write where the checkpoint of each step is, such as 'checkpoint-{step}'"
                    )
                    valid = false
                } else if Self.jobRelativePath(text) == nil || Self.jobRelativePath(text) == "." {
                    parser.report(
                        parser.location(of: value),
                        "\(keyWhat) is '\(text)', which is not inside the job directory; give a path relative to it, such as 'checkpoint-{step}'"
                    )
                    valid = false
                } else {
                    path = Self.jobRelativePath(text)
                }
            case .steps:
                steps = parser.stepList(value, what: keyWhat)?.map(\.value)
                if steps == nil { valid = false }
            case .every:
                if let number = parser.wholeNumber(value, what: keyWhat, minimum: 1) {
                    every = (number, parser.location(of: value))
                } else {
                    valid = false
                }
            case .last:
                if let number = parser.wholeNumber(value, what: keyWhat, minimum: 1) {
                    last = (number, parser.location(of: value))
                } else {
                    valid = false
                }
            case .ready:
                let files = parser.stringList(value, what: keyWhat, expected: "files in a checkpoint's directory")
                if files.isEmpty || files.contains(where: { Self.jobRelativePath($0.value) == nil }) {
                    parser.report(
                        parser.location(of: value),
                        "\(keyWhat) must list files inside a checkpoint's directory, such as [trainer_state.json]")
                    valid = false
                } else {
                    ready = files.map(\.value)
                }
            case .tokensPerStep:
                tokens = parser.tokenFactors(value, what: keyWhat)
                if tokens == nil { valid = false }
            }
        }
        let location = location(of: node)
        if steps != nil, every != nil || last != nil {
            report(
                every?.1 ?? last?.1 ?? location,
                "\(what) gives both 'steps' and 'every'/'last'; give the list of steps, or 'every: N' with 'last: M'")
            return nil
        }
        if steps == nil {
            switch (every, last) {
            case (let every?, let last?):
                if last.0 < every.0 {
                    report(
                        last.1,
                        "'checkpoints.last' of stage '\(stage)' is \(last.0), below 'every' (\(every.0)); the last step is the training's final one"
                    )
                    return nil
                }
                var list = Array(stride(from: every.0, through: last.0, by: every.0))
                if list.last != last.0 { list.append(last.0) }
                steps = list
            case (nil, nil):
                if valid {
                    report(
                        location, "\(what) gives no steps; add 'steps: [250, 500, ...]', or 'every: N' with 'last: M'")
                }
                return nil
            default:
                // A key given but refused has its own error already.
                if valid {
                    report(
                        every?.1 ?? last?.1 ?? location,
                        "\(what) needs both 'every' and 'last' (the training's final step), or a 'steps' list")
                }
                return nil
            }
        }
        guard valid, let path, let steps else {
            if valid, path == nil {
                report(location, "\(what) has no 'path'; add where each checkpoint is, such as 'checkpoint-{step}'")
            }
            return nil
        }
        return CheckpointSpec(path: path, steps: steps, ready: ready, tokensPerStep: tokens, location: location)
    }

    /// `over: checkpoints` or `over: {checkpoints: [500, 1000]}`.
    mutating func parseFanOut(_ node: Node, stage: String) -> FanOut? {
        let what = "'over' of stage '\(stage)'"
        let expected = "'checkpoints', or '{checkpoints: [500, 1000]}' for some of them"
        let location = location(of: node)
        switch node {
        case .scalar(let scalar) where scalar.string == "checkpoints":
            return FanOut(location: location)
        case .mapping(let mapping) where mapping.count == 1 && mapping.first?.key.string == "checkpoints":
            guard let steps = stepList(mapping.first!.value, what: "'over.checkpoints' of stage '\(stage)'") else {
                return nil
            }
            return FanOut(steps: steps, location: location)
        default:
            if case .scalar(let scalar) = node {
                report(location, "\(what) is '\(scalar.string)'; write \(expected)")
            } else {
                expect(node, what: what, expected: expected)
            }
            return nil
        }
    }

    /// A non-empty list of distinct steps above 0, ascending.
    private mutating func stepList(_ node: Node, what: String) -> [Located<Int>]? {
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            expect(node, what: what, expected: "a list of steps such as [250, 500, 750, 1000]")
            return nil
        }
        var steps: [Located<Int>] = []
        for item in sequence {
            guard let step = wholeNumber(item, what: "an entry of \(what)", minimum: 1) else { return nil }
            if let previous = steps.last, step <= previous.value {
                report(
                    location(of: item),
                    "\(what) lists \(step) after \(previous.value); list each step once, in increasing order")
                return nil
            }
            steps.append(Located(step, at: location(of: item)))
        }
        return steps
    }
}
