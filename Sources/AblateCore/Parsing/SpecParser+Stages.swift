import Yams

/// `stages` and `metrics`.
extension SpecParser {
    /// The keys of a stage, in the order that "valid keys are" lists them: read through
    /// ``YAMLReader/readKeys(of:as:in:context:reader:unknown:_:)`` so that the keys accepted and suggested are
    /// exactly those that `parseStage`'s exhaustive `switch` handles.
    private enum StageKey: String, CaseIterable {
        case run, uses, after, resources, retries, timeout, repo, code, collect, requires, produces, checkpoints, over
        case description
    }

    /// The keys of a stage's `resources` that Ablate reads itself (any other is passed to the backend as it is,
    /// with a warning where it looks like a misspelling of one of these): one list for `parseResources`'s
    /// exhaustive `switch` and its suggestions.
    private enum ResourceKey: String, CaseIterable {
        case cpus, gpus, mem, time, nodes, sbatch
    }

    /// The keys of a metric declaration, in the order that "valid keys are" lists them: one list for
    /// `parseMetrics`'s exhaustive `switch` and its suggestions.
    private enum MetricKey: String, CaseIterable {
        case goal, label
    }

    mutating func parseStages(_ node: Node) -> [Stage] {
        guard case .mapping(let mapping) = node else {
            expect(node, what: "'stages'", expected: "a mapping from stage names to stages, in run order")
            return []
        }
        if mapping.isEmpty {
            report(location(of: node), "'stages' is empty; add at least one stage with a 'run' command")
        }
        return mapping.compactMap { keyNode, stageNode in
            guard let name = keyString(keyNode) else { return nil }
            let stageLocation = location(of: keyNode)
            if !Self.isValidStageName(name) {
                report(
                    stageLocation,
                    "stage name '\(name)' is not valid; use letters, digits, '_' and '-', starting with a letter")
                return nil
            }
            return parseStage(name: name, at: stageLocation, stageNode)
        }
    }

    static func isValidStageName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first)
        else { return false }
        return name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
    }

    private mutating func parseStage(name: String, at stageLocation: SourceLocation, _ node: Node) -> Stage? {
        guard case .mapping(let mapping) = node else {
            expect(node, what: "stage '\(name)'", expected: "a mapping with at least a 'run' command")
            return nil
        }
        var run: (CommandTemplate, SourceLocation)?
        var uses: [Located<String>] = []
        var after: [Located<String>] = []
        var resources = Resources()
        var retries = 0
        var timeout: Double?
        var repo: String?
        var code: (CodeMode, SourceLocation)?
        var collect: [CollectorSpec] = []
        var requires = StageRequirements()
        var produces: [Located<String>] = []
        var checkpoints: CheckpointSpec?
        var over: FanOut?
        readKeys(of: mapping, as: StageKey.self, in: "stage '\(name)'") { parser, key, value in
            switch key {
            case .run:
                if let text = parser.scalarString(value, what: "'run' of stage '\(name)'", expected: "a command string")
                {
                    if text.trimmingSpaces().isEmpty {
                        parser.report(
                            parser.location(of: value),
                            "'run' of stage '\(name)' is empty; give the command that runs one job")
                    } else {
                        run = (CommandTemplate(text), parser.location(of: value))
                    }
                }
            case .uses:
                uses = parser.nameList(value, what: "'uses' of stage '\(name)'", stage: name)
            case .after:
                after = parser.nameList(value, what: "'after' of stage '\(name)'", stage: name)
            case .resources:
                resources = parser.parseResources(value, stage: name)
            case .retries:
                if let count = parser.wholeNumber(value, what: "'retries' of stage '\(name)'", minimum: 0) {
                    retries = count
                }
            case .timeout:
                timeout = parser.duration(value, what: "timeout of stage '\(name)'")
            case .repo:
                repo = parser.scalarString(value, what: "'repo' of stage '\(name)'", expected: "a path")
            case .code:
                let expected = "'key' (the repository's commit and changes are part of the job key) or 'record'"
                if let text = parser.scalarString(value, what: "'code' of stage '\(name)'", expected: expected) {
                    if let mode = CodeMode(rawValue: text) {
                        code = (mode, parser.location(of: value))
                    } else {
                        parser.report(
                            parser.location(of: value), "'code' of stage '\(name)' is '\(text)'; use \(expected)")
                    }
                }
            case .collect:
                collect = parser.parseCollectors(value, stage: name)
            case .requires:
                requires = parser.parseRequirements(value, stage: name)
            case .produces:
                produces = parser.parseProduces(value, stage: name)
            case .checkpoints:
                checkpoints = parser.parseCheckpoints(value, stage: name)
            case .over:
                over = parser.parseFanOut(value, stage: name)
            case .description:
                _ = parser.scalarString(value, what: "'description' of stage '\(name)'", expected: "text")
            }
        }
        guard let (template, runLocation) = run else {
            if !mapping.contains(where: { $0.key.string == "run" }) {
                report(
                    stageLocation, "stage '\(name)' has no 'run' command; add 'run:' with the command that runs one job"
                )
            }
            return nil
        }
        var stage = Stage(
            name: name, location: stageLocation, run: template, runLocation: runLocation, uses: uses, after: after,
            resources: resources, retries: retries, timeoutSeconds: timeout, repo: repo)
        stage.collect = collect
        stage.requires = requires
        stage.produces = produces
        stage.checkpoints = checkpoints
        stage.over = over
        if let (mode, codeLocation) = code {
            stage.code = mode
            stage.codeLocation = codeLocation
            if mode == .key, repo == nil {
                report(
                    codeLocation,
                    "stage '\(name)' has 'code: key' but no 'repo'; add 'repo: PATH' naming the git repository of the code it runs"
                )
            }
        }
        return stage
    }

    /// A name or a list of names; duplicates are reported.
    private mutating func nameList(_ node: Node, what: String, stage: String) -> [Located<String>] {
        let items: [Node]
        switch node {
        case .sequence(let sequence): items = Array(sequence)
        case .scalar: items = [node]
        default:
            expect(node, what: what, expected: "a list of names")
            return []
        }
        var names: [Located<String>] = []
        for item in items {
            guard let text = scalarString(item, what: "an entry of \(what)", expected: "a name") else { continue }
            if let earlier = names.first(where: { $0.value == text }) {
                report(location(of: item), "\(what) lists '\(text)' twice (first at \(earlier.location)); remove one")
                continue
            }
            names.append(Located(text, at: location(of: item)))
        }
        return names
    }

    private mutating func parseResources(_ node: Node, stage: String) -> Resources {
        guard case .mapping(let mapping) = node else {
            expect(node, what: "'resources' of stage '\(stage)'", expected: "a mapping such as '{cpus: 8, gpus: 1}'")
            return Resources()
        }
        var resources = Resources()
        readKeys(
            of: mapping, as: ResourceKey.self, in: "stage '\(stage)'",
            unknown: { parser, key, keyNode, value in
                if let nearest = NameSuggestion.nearest(to: key, in: ResourceKey.allCases.map(\.rawValue)) {
                    parser.report(
                        parser.location(of: keyNode),
                        "unknown resource '\(key)' in stage '\(stage)'; did you mean '\(nearest)'? (other keys are passed to the backend as they are)",
                        severity: .warning)
                }
                guard Self.isOptionName(key) else {
                    parser.report(
                        parser.location(of: keyNode),
                        "resource '\(key.unicodeScalars.map { $0.escaped(asASCII: false) }.joined())' in stage '\(stage)' is not an option name; use letters, digits, '_' and '-'"
                    )
                    return
                }
                if let text = parser.batchValue(
                    value, what: "'resources.\(key)' of stage '\(stage)'", expected: "a single value")
                {
                    resources.extras[key] = text
                }
            }
        ) { parser, key, value in
            let what = "'resources.\(key.rawValue)' of stage '\(stage)'"
            switch key {
            case .cpus:
                if let count = parser.wholeNumber(value, what: what, minimum: 1) { resources.cpus = count }
            case .gpus:
                if let count = parser.wholeNumber(value, what: what, minimum: 0) { resources.gpus = count }
            case .mem:
                resources.mem = parser.batchValue(value, what: what, expected: "a size such as '64G'")
            case .time:
                resources.time = parser.batchValue(value, what: what, expected: "a Slurm time such as '1-00:00:00'")
            case .nodes:
                resources.nodes = parser.wholeNumber(value, what: what, minimum: 1)
            case .sbatch:
                resources.sbatch = parser.sbatchOptions(value, what: what)
            }
        }
        return resources
    }

    /// A list of `sbatch` options, each starting with `-` and on one line.
    mutating func sbatchOptions(_ node: Node, what: String) -> [String] {
        guard case .sequence(let sequence) = node else {
            expect(node, what: what, expected: "a list of sbatch options such as ['--exclusive']")
            return []
        }
        var options: [String] = []
        for item in sequence {
            guard let text = scalarString(item, what: "an entry of \(what)", expected: "an sbatch option") else {
                continue
            }
            if !text.hasPrefix("-") || Self.breaksALine(text) {
                report(
                    location(of: item),
                    "\(what) entry '\(text)' is not an sbatch option; write one option per entry, such as '--exclusive' or '--constraint=h100'"
                )
                continue
            }
            if text == "--comment" || text.hasPrefix("--comment=") {
                report(
                    location(of: item),
                    "\(what) sets --comment, which Ablate uses to find its own submissions again after a crash; remove it (--job-name and the job's config.json say what the job is)"
                )
                continue
            }
            options.append(text)
        }
        return options
    }

    /// A value written into a batch script's `#SBATCH` lines: one line, no NUL.
    mutating func batchValue(_ node: Node, what: String, expected: String) -> String? {
        guard let text = scalarString(node, what: what, expected: expected) else { return nil }
        guard !Self.breaksALine(text) else {
            report(
                location(of: node),
                "\(what) contains a line break or a NUL, which would end its #SBATCH line; write it on one line")
            return nil
        }
        return text
    }

    /// Whether `text` holds a character that would end or corrupt a line of a batch script.
    static func breaksALine(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0 == "\n" || $0 == "\r" || $0 == "\u{0}" }
    }

    /// Whether `name` can be an sbatch option name (`--NAME=VALUE`).
    static func isOptionName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
                    || $0 == "-"
            }
    }

    mutating func wholeNumber(_ node: Node, what: String, minimum: Int) -> Int? {
        if case .scalar(let scalar) = node, case .int(let value) = YAMLScalars.value(of: scalar), value >= minimum,
            value <= Int64(Int32.max)
        {
            return Int(value)
        }
        let shown = node.scalar.map { "'\($0.string)'" } ?? kind(of: node)
        let range = minimum == 0 ? "a whole number, 0 or more" : "a whole number, \(minimum) or more"
        report(location(of: node), "\(what) must be \(range), not \(shown)")
        return nil
    }

    /// Seconds, from `600`, `90s`, `10m`, `2h` or `1d`.
    mutating func duration(_ node: Node, what: String) -> Double? {
        guard case .scalar(let scalar) = node else {
            expect(node, what: what, expected: "a duration such as '10m'")
            return nil
        }
        if let seconds = Self.parseDuration(scalar.string) { return seconds }
        report(
            location(of: node),
            Self.parseDuration(scalar.string, limit: .infinity) != nil
                ? "\(what) '\(scalar.string)' is longer than the 366 days a duration may be; give a shorter one"
                : "\(what) '\(scalar.string)' is not a duration; write seconds (600) or a number with s, m, h or d (10m)"
        )
        return nil
    }

    /// The longest duration a spec may give (366 days), so that every duration converts to whole
    /// seconds and minutes without overflow.
    static let maximumDuration: Double = 366 * 86400

    static func parseDuration(_ text: String, limit: Double = maximumDuration) -> Double? {
        let trimmed = text.trimmingSpaces()
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var number = Substring(trimmed)
        var factor = 1.0
        if let last = trimmed.last, let unit = units[last] {
            number = trimmed.dropLast()
            factor = unit
        }
        guard let value = Double(number), value > 0, value.isFinite, value * factor <= limit else {
            return nil
        }
        return value * factor
    }

    mutating func parseMetrics(_ node: Node) -> [MetricDeclaration] {
        guard case .mapping(let mapping) = node else {
            expect(node, what: "'metrics'", expected: "a mapping such as '{recall: {goal: max, label: Recall}}'")
            return []
        }
        var declarations: [MetricDeclaration] = []
        for (keyNode, value) in mapping {
            guard let key = keyString(keyNode) else { continue }
            var declaration = MetricDeclaration(key: key)
            if case .mapping(let fields) = value {
                readKeys(of: fields, as: MetricKey.self, in: "metric '\(key)'") { parser, field, fieldValue in
                    switch field {
                    case .goal:
                        guard
                            let text = parser.scalarString(
                                fieldValue, what: "goal of metric '\(key)'", expected: "'max' or 'min'")
                        else { return }
                        if let goal = MetricDeclaration.Goal(rawValue: text) {
                            declaration.goal = goal
                        } else {
                            parser.report(
                                parser.location(of: fieldValue),
                                "goal '\(text)' of metric '\(key)' is not valid; use 'max' or 'min'")
                        }
                    case .label:
                        declaration.label = parser.scalarString(
                            fieldValue, what: "label of metric '\(key)'", expected: "text")
                    }
                }
            } else if case .scalar(let scalar) = value, YAMLScalars.value(of: scalar) == .null {
                // `recall:` alone declares the metric with defaults.
            } else {
                expect(value, what: "metric '\(key)'", expected: "a mapping such as '{goal: max, label: Recall}'")
            }
            declarations.append(declaration)
        }
        return declarations
    }
}

extension String {
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars.drop { $0.properties.isWhitespace }.reversed().drop { $0.properties.isWhitespace }
        return String(String.UnicodeScalarView(scalars.reversed()))
    }
}
