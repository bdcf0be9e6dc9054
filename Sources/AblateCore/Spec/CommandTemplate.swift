/// A stage's `run:` command with its placeholders, parsed once.
///
/// Placeholders: `{config}` (the job's `config.json`), `{output}` (the job's directory),
/// `{STAGE.output}` (an upstream job's directory), `{params.NAME}` (a value the stage `uses`), and in a
/// stage that fans out over checkpoints `{STAGE.checkpoint}` (the directory of the checkpoint it runs
/// on) and `{checkpoint.step}` (its step).
/// `{{` and `}}` write literal braces, and a `{` right after `$` is left alone so that shell
/// expansions such as `${HOME}` pass through.
///
/// Every substituted value arrives verbatim, as one word-part, wherever the placeholder stands: the
/// template is read as `/bin/sh` reads it (``ShellContext``), and a value is single-quoted outside
/// quotes, escaped inside single quotes, and spliced in single quotes between closed and reopened
/// double quotes inside double quotes. Where no quoting can make a value verbatim (backticks,
/// `${...}`, `$((...))`, comments, here-documents) the placeholder is a ``SyntaxProblem``.
public struct CommandTemplate: Sendable, Hashable {
    /// A piece of the template.
    public enum Segment: Sendable, Hashable {
        /// Text copied as written.
        case literal(String)
        /// `{config}`.
        case config
        /// `{output}`.
        case output
        /// `{STAGE.output}`.
        case stageOutput(String)
        /// `{params.NAME}`.
        case param(String)
        /// `{STAGE.checkpoint}`: the directory of the upstream training job's checkpoint a fanned-out job runs on.
        case stageCheckpoint(String)
        /// `{checkpoint.step}`: that checkpoint's step.
        case checkpointStep
    }

    /// A problem in the template's placeholder syntax.
    public struct SyntaxProblem: Sendable, Hashable {
        /// The placeholder text, braces included.
        public var placeholder: String
        /// Why it is not valid.
        public var reason: String
    }

    /// The template exactly as written; part of every job key of the stage.
    public var text: String
    /// The parsed pieces.
    public var segments: [Segment]
    /// Placeholders that could not be understood, or stand where a value cannot be substituted safely.
    public var problems: [SyntaxProblem]
    /// Where each placeholder stands, in the order of ``segments``' placeholders.
    public var contexts: [ShellContext]

    /// Parses `text`.
    public init(_ text: String) {
        self.text = text
        var segments: [Segment] = []
        var problems: [SyntaxProblem] = []
        var literal = ""
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func flush() {
            if !literal.isEmpty { segments.append(.literal(literal)) }
            literal = ""
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "{" {
                if index + 1 < scalars.count, scalars[index + 1] == "{" {
                    literal.unicodeScalars.append("{")
                    index += 2
                    continue
                }
                if index > 0, scalars[index - 1] == "$" {
                    literal.unicodeScalars.append("{")
                    index += 1
                    continue
                }
                guard let close = scalars[index...].firstIndex(of: "}") else {
                    problems.append(
                        SyntaxProblem(
                            placeholder: String(String.UnicodeScalarView(scalars[index...])),
                            reason: "it has no closing '}'; write '{{' for a literal brace"))
                    literal.unicodeScalars.append(contentsOf: scalars[index...])
                    break
                }
                let name = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
                flush()
                if let segment = CommandTemplate.segment(for: name) {
                    segments.append(segment)
                } else {
                    problems.append(
                        SyntaxProblem(
                            placeholder: "{\(name)}",
                            reason: "placeholders are {config}, {output}, {STAGE.output}, {params.NAME}, "
                                + "{STAGE.checkpoint} and {checkpoint.step}; write '{{' for a literal brace"))
                    literal = "{\(name)}"
                }
                index = close + 1
            } else if scalar == "}", index + 1 < scalars.count, scalars[index + 1] == "}" {
                literal.unicodeScalars.append("}")
                index += 2
            } else {
                literal.unicodeScalars.append(scalar)
                index += 1
            }
        }
        flush()
        var scanner = ShellScanner()
        var contexts: [ShellContext] = []
        for segment in segments {
            if case .literal(let text) = segment {
                scanner.feed(text)
                continue
            }
            let context = scanner.context
            contexts.append(context)
            if let refusal = context.refusal {
                problems.append(SyntaxProblem(placeholder: Self.spelling(of: segment), reason: refusal))
            } else if context == .arithmetic, !Self.isParam(segment) {
                problems.append(
                    SyntaxProblem(
                        placeholder: Self.spelling(of: segment),
                        reason: "it stands inside $((...)), where only whole numbers are safe, and it is a path"))
            }
            scanner.placeholder()
        }
        if let open = scanner.unterminated {
            problems.append(
                SyntaxProblem(placeholder: "", reason: "the command cannot be read as /bin/sh reads it: \(open)"))
        }
        self.segments = segments
        self.problems = problems
        self.contexts = contexts
    }

    /// The parameters whose placeholders stand inside `$((...))`: every value they take must be a whole
    /// number (``SweepExpander`` checks).
    public var arithmeticParams: [String] {
        var names: [String] = []
        var placeholder = 0
        for segment in segments {
            if case .literal = segment { continue }
            if case .param(let name) = segment, contexts[placeholder] == .arithmetic, !names.contains(name) {
                names.append(name)
            }
            placeholder += 1
        }
        return names
    }

    private static func isParam(_ segment: Segment) -> Bool {
        switch segment {
        case .param, .checkpointStep: true
        default: false
        }
    }

    /// How a placeholder segment is written in a template.
    static func spelling(of segment: Segment) -> String {
        switch segment {
        case .literal(let text): text
        case .config: "{config}"
        case .output: "{output}"
        case .stageOutput(let stage): "{\(stage).output}"
        case .param(let name): "{params.\(name)}"
        case .stageCheckpoint(let stage): "{\(stage).checkpoint}"
        case .checkpointStep: "{checkpoint.step}"
        }
    }

    /// The parameter names that `{params.NAME}` placeholders refer to, in order.
    public var referencedParams: [String] {
        segments.compactMap { if case .param(let name) = $0 { name } else { nil } }
    }

    /// The stage names that `{STAGE.output}` placeholders refer to, in order.
    public var referencedStages: [String] {
        segments.compactMap { if case .stageOutput(let name) = $0 { name } else { nil } }
    }

    /// The stage names that `{STAGE.checkpoint}` placeholders refer to, in order.
    public var referencedCheckpoints: [String] {
        segments.compactMap { if case .stageCheckpoint(let name) = $0 { name } else { nil } }
    }

    /// Whether `{checkpoint.step}` appears.
    public var referencesCheckpointStep: Bool { segments.contains(.checkpointStep) }

    /// Renders the command with every substituted value quoted for where it stands.
    ///
    /// - Parameters:
    ///   - config: The path of the job's `config.json`.
    ///   - output: The job's directory.
    ///   - stageOutputs: Upstream stage name -> that job's directory.
    ///   - params: The job's `uses` values (for a fanned-out job, `checkpoint` is its step).
    ///   - checkpoints: Upstream stage name -> the directory of the checkpoint a fanned-out job runs on.
    /// - Returns: A command line for `/bin/sh -c`; `nil` entries never occur in a validated spec and
    ///   render as an empty quoted string.
    public func render(
        config: String, output: String, stageOutputs: [String: String], params: [String: ParamValue],
        checkpoints: [String: String] = [:]
    ) -> String {
        var out = ""
        var placeholder = 0
        for segment in segments {
            let value: String
            switch segment {
            case .literal(let text):
                out += text
                continue
            case .config: value = config
            case .output: value = output
            case .stageOutput(let stage): value = stageOutputs[stage] ?? ""
            case .param(let name): value = ShellQuoting.text(of: params[name] ?? .null)
            case .stageCheckpoint(let stage): value = checkpoints[stage] ?? ""
            case .checkpointStep: value = ShellQuoting.text(of: params[SweepFanOut.parameter] ?? .null)
            }
            let context = placeholder < contexts.count ? contexts[placeholder] : .plain
            placeholder += 1
            out += ShellQuoting.quote(value, in: context)
        }
        return out
    }

    private static func segment(for name: String) -> Segment? {
        switch name {
        case "config": return .config
        case "output": return .output
        case "checkpoint.step": return .checkpointStep
        default:
            if name.hasPrefix("params.") {
                let param = String(name.dropFirst("params.".count))
                return param.isEmpty ? nil : .param(param)
            }
            if name.hasSuffix(".output") {
                let stage = String(name.dropLast(".output".count))
                return stage.isEmpty || stage.contains(".") ? nil : .stageOutput(stage)
            }
            if name.hasSuffix(".checkpoint") {
                let stage = String(name.dropLast(".checkpoint".count))
                return stage.isEmpty || stage.contains(".") ? nil : .stageCheckpoint(stage)
            }
            return nil
        }
    }
}
