import Foundation
import Testing

@testable import AblateCore

@Suite struct CommandTemplateTests {
    @Test func parsesPlaceholdersEscapesAndShellExpansions() {
        let template = CommandTemplate("cd ${HOME} && run {params.lr} {{literal}} {config} {output} {pretrain.output}")
        #expect(template.problems.isEmpty)
        #expect(
            template.segments == [
                .literal("cd ${HOME} && run "), .param("lr"), .literal(" {literal} "), .config, .literal(" "), .output,
                .literal(" "), .stageOutput("pretrain"),
            ])
        #expect(template.referencedParams == ["lr"])
        #expect(template.referencedStages == ["pretrain"])
    }

    @Test func rendersWithEveryValueQuoted() {
        let template = CommandTemplate(
            "train --data {params.mix} --lr {params.lr} --in {pretrain.output} --out {output}")
        let command = template.render(
            config: "/w/config.json", output: "/w/jobs/ab cd", stageOutputs: ["pretrain": "/w/jobs/p"],
            params: ["mix": .string("book@0.3 repo@0.3"), "lr": .double(1e-5)])
        #expect(command == "train --data 'book@0.3 repo@0.3' --lr 1e-5 --in /w/jobs/p --out '/w/jobs/ab cd'")
    }

    static let hostile = [
        "$(touch pwned)", "; rm -rf x", "it's", "\"double\"", "line1\nline2", "`id`", "a b\tc", "", "*", "~root",
        "--flag=$HOME", "back\\slash", "semi;colon|pipe&amp",
    ]

    @Test(arguments: hostile)
    func hostileValuesReachTheCommandVerbatim(value: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ablate-quote-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let command = CommandTemplate("printf '%s' {params.v}").render(
            config: "", output: "", stageOutputs: [:], params: ["v": .string(value)])
        let printed = try Shell.output(of: command, in: directory)
        #expect(printed == value)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "the value created files")
    }

    @Test(arguments: [
        ("plain-word_1.5@x:y,z/+=%", "plain-word_1.5@x:y,z/+=%"), ("a b", "'a b'"), ("it's", "'it'\\''s'"), ("", "''"),
    ])
    func quotesOnlyWhenNeeded(text: String, expected: String) {
        #expect(ShellQuoting.quote(text) == expected)
    }

    /// Where a placeholder may stand, with the expected output of `printf '[%s]' ...` for value `V`.
    static let contexts: [(template: String, expected: @Sendable (String) -> String)] = [
        ("printf '[%s]' {params.v}", { "[\($0)]" }),
        ("printf '[%s]' \"--x={params.v}\"", { "[--x=\($0)]" }),
        ("printf '[%s]' '--x={params.v}'", { "[--x=\($0)]" }),
        ("printf '[%s]' --x={params.v}", { "[--x=\($0)]" }),
        ("printf '[%s]' \"$(printf '%s' {params.v})\"", { "[\($0)]" }),
        ("printf '[%s]' \"a $(printf '%s' \"<{params.v}>\") b\"", { "[a <\($0)> b]" }),
        ("x=\"{params.v}\"; printf '[%s]' \"$x\"", { "[\($0)]" }),
        ("printf '[%s]' \"it's {params.v}\" 'say \"{params.v}\"'", { "[it's \($0)][say \"\($0)\"]" }),
    ]

    static let contextCases: [(Int, String)] = contexts.indices.flatMap { index in
        (hostile + ["it's", "a\"b'c", "trailing\\"]).map { (index, $0) }
    }

    @Test(arguments: contextCases)
    func valuesArriveVerbatimInEveryQuotingContext(context: Int, value: String) throws {
        let (template, expected) = Self.contexts[context]
        let parsed = CommandTemplate(template)
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ablate-context-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let command = parsed.render(config: "", output: "", stageOutputs: [:], params: ["v": .string(value)])
        let printed = try Shell.output(of: command, in: directory)
        #expect(printed == expected(value), "\(command)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "the value created files")
    }

    @Test func aQuotedOutputDirectoryWithASpaceStaysOneWord() {
        let command = CommandTemplate("ls -d \"{output}\"").render(
            config: "", output: "/w/jobs/a b", stageOutputs: [:], params: [:])
        #expect(command == "ls -d \"\"'/w/jobs/a b'\"\"")
    }

    /// Syntax that once hid a placeholder's true context (each ran code through a value such as
    /// `$(echo PWNED)` under dash or bash): now refused at plan.
    @Test(arguments: [
        ("echo \"$(case x in x) echo \"{params.v}\";; esac)\"", ShellContext.unfollowable),
        ("echo ${x:-'}'} {params.v} # '", .unfollowable),
        ("echo ${x:-\"}\"} {params.v}", .unfollowable),
        ("(true)#{params.v}", .comment),
        ("cat <<EOF\n\tEOF\necho {params.v}\nEOF", .hereDocument),
        ("cat <<{params.v}\nx\nfoo", .hereDocument),
        ("echo $'{params.v}'", .ansiCQuoted),
        ("[[ {params.v} -eq 1 ]] && echo yes", .doubleBracket),
        ("if [[ {params.v} -eq 1 ]]; then echo yes; fi", .doubleBracket),
    ])
    func syntaxThatHidesTheContextIsRefused(template: String, context: ShellContext) {
        let parsed = CommandTemplate(template)
        #expect(parsed.contexts.contains(context), "\(parsed.contexts)")
        #expect(parsed.problems.contains { $0.reason == context.refusal }, "\(parsed.problems)")
    }

    @Test func bashArithmeticCommandsTakeWholeNumbersOnly() {
        #expect(CommandTemplate("(( {params.n} + 1 )) && echo yes").arithmeticParams == ["n"])
        #expect(CommandTemplate("while (( {params.n} > 0 )); do break; done").arithmeticParams == ["n"])
    }

    @Test(arguments: ["/bin/sh", "/bin/bash"])
    func anEscapedSpaceBeforeAHashIsNoComment(shell: String) throws {
        // `a\ #'` is one word: the `#` is text and the `'` opens a quote, so the placeholder is quoted.
        let template = CommandTemplate("printf '[%s]' a\\ #'\necho {params.v} #'")
        #expect(template.problems.isEmpty, "\(template.problems)")
        #expect(template.contexts == [.singleQuoted])
        let command = template.render(
            config: "", output: "", stageOutputs: [:], params: ["v": .string("$(echo PWNED)")])
        let result = try Shell.output(of: command, shell: shell, withStandardError: true)
        #expect(!result.contains("PWNED\n") && result.contains("$(echo PWNED)"), "\(result)")
    }

    @Test func aPathInsideArithmeticIsRefused() {
        #expect(
            CommandTemplate("echo $(( {output} * 2 ))").problems == [
                .init(
                    placeholder: "{output}",
                    reason: "it stands inside $((...)), where only whole numbers are safe, and it is a path")
            ])
    }

    @Test func arithmeticPlaceholdersAreParamsThatMustBeWholeNumbers() {
        #expect(
            CommandTemplate("n=$(( {params.a} + 1 )); echo {params.b} $(({params.c}))").arithmeticParams == ["a", "c"])
    }

    @Test(arguments: [
        (
            "echo `cat {params.v}`",
            "it stands inside backticks, where the shell processes backslashes again; write $(...) instead of `...`"
        ),
        (
            "echo \"`cat {params.v}`\"",
            "it stands inside backticks, where the shell processes backslashes again; write $(...) instead of `...`"
        ),
        (
            "echo ${X:-{params.v}}",
            "it stands inside ${...}; assign it to a variable first (X={params.NAME}; ... ${OTHER:-$X})"
        ),
        (
            "train # seed {params.v}",
            "it stands in a shell comment, which a newline in the value would end; move it out of the comment"
        ),
        (
            "cat <<EOF\nseed {params.v}\nEOF",
            "it stands in a here-document, where quotes do not quote; pass it as an argument or read it from {config}"
        ),
        (
            "cat <<-'EOF'\n\t{params.v}\n\tEOF\necho done",
            "it stands in a here-document, where quotes do not quote; pass it as an argument or read it from {config}"
        ),
    ])
    func placeholdersWhereNoQuotingIsVerbatimAreRefused(template: String, reason: String) {
        #expect(CommandTemplate(template).problems == [.init(placeholder: "{params.v}", reason: reason)])
    }

    @Test(arguments: [
        ("echo '{params.v}", "a ' quote is not closed"), ("echo \"{params.v}", "a \" quote is not closed"),
        ("echo $(cat {params.v}", "a $(, $(( or ${ is not closed"), ("cat <<EOF\nx", "a here-document has no end line"),
    ])
    func anUnterminatedCommandIsRefused(template: String, reason: String) {
        #expect(
            CommandTemplate(template).problems.map(\.reason) == [
                "the command cannot be read as /bin/sh reads it: \(reason)"
            ])
    }

    @Test(arguments: [
        "echo a # a comment", "echo \"#not a comment {params.v}\"", "echo x#y {params.v}", "cat <<<{params.v}",
        "cat <<EOF\nbody\nEOF\necho {params.v}", "echo $((1 + 2)) {params.v}", "echo ${HOME} {params.v}",
        "f() {{ echo {params.v}; }}; f", "(cd /tmp && echo {params.v})", "n=$(( ({params.v} * 7) % 10 + 1 ))",
    ])
    func ordinaryShellAroundPlaceholdersIsAccepted(template: String) {
        #expect(CommandTemplate(template).problems.isEmpty)
    }
}

/// The arithmetic rule applied to a whole spec: every value of a parameter inside `$((...))`.
@Suite struct ArithmeticPlaceholderTests {
    @Test func wholeNumbersPlan() throws {
        let yaml = "sweep: a\ngrid: {n: [1, 2]}\nstages:\n  s: {uses: [n], run: \"echo $(( {params.n} * 2 ))\"}\n"
        #expect(try SpecLoader.load(yaml: yaml, file: "a.yaml").plan.jobCount == 2)
    }

    @Test func anyOtherValueIsAnError() {
        let yaml =
            "sweep: a\ngrid: {n: [1, \"2; touch x\"]}\nstages:\n  s: {uses: [n], run: \"echo $(( {params.n} ))\"}\n"
        #expect(throws: SpecValidationError.self) { try SpecLoader.load(yaml: yaml, file: "a.yaml") }
        do {
            _ = try SpecLoader.load(yaml: yaml, file: "a.yaml")
        } catch {
            #expect(
                error.errors.map(\.message) == [
                    "placeholder '{params.n}' in stage 's' stands inside $((...)), where only whole numbers are safe, and '2; touch x' is not one; make every value of 'n' a whole number, or compute it in the trainer"
                ])
        }
    }
}

/// Runs a command line under a shell for the tests above, and returns what it printed.
enum Shell {
    /// Runs `command` with `shell -c` in `directory` (the current one when `nil`); the output is standard
    /// output, with standard error merged in when `withStandardError`.
    static func output(
        of command: String, shell: String = "/bin/sh", in directory: URL? = nil, withStandardError: Bool = false
    ) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: shell)
        process.arguments = ["-c", command]
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        process.standardOutput = output
        if withStandardError { process.standardError = output }
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
