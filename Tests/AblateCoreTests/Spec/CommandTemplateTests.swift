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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(String(decoding: data, as: UTF8.self) == value)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "the value created files")
    }

    @Test(arguments: [
        ("plain-word_1.5@x:y,z/+=%", "plain-word_1.5@x:y,z/+=%"), ("a b", "'a b'"), ("it's", "'it'\\''s'"), ("", "''"),
    ])
    func quotesOnlyWhenNeeded(text: String, expected: String) {
        #expect(ShellQuoting.quote(text) == expected)
    }
}
