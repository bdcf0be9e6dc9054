import Testing

@testable import AblateCore

/// Specs a hostile or careless user writes: each is refused with a positioned error, never a crash,
/// a huge allocation, or a value that breaks a command or a batch script.
@Suite struct HostileSpecTests {
    static let stage = "stages:\n  s: {run: echo}\n"

    @Test(
        arguments: [
            (
                "sweep: x\nslurm: {signal: 1e19}\n" + stage,
                "t.yaml:2:17: error: 'slurm.signal' '1e19' is longer than the 366 days a duration may be; give a shorter one"
            ),
            (
                "sweep: x\nstages:\n  s: {run: echo, timeout: 1e300}\n",
                "t.yaml:3:27: error: timeout of stage 's' '1e300' is longer than the 366 days a duration may be; give a shorter one"
            ),
            (
                "sweep: x\nparams: {a: .inf}\n" + stage,
                "t.yaml:2:13: error: '.inf' is not a finite number; a value reaches commands and job keys, so it must be one (quote it for text)"
            ),
            (
                "sweep: x\ngrid: {a: [1e400]}\n" + stage,
                "t.yaml:2:12: error: '1e400' is not a finite number; a value reaches commands and job keys, so it must be one (quote it for text)"
            ),
            (
                "sweep: x\nparams: {a: \"x\\0y\"}\n" + stage,
                "t.yaml:2:13: error: the value contains a NUL character, which no command can receive; remove it"
            ),
            (
                "sweep: x\nparams: {status: 1}\n" + stage,
                "t.yaml:2:10: error: parameter name 'status' is reserved: 'status' is the run's own fields in '--where' and 'ablate runs'; rename the parameter"
            ),
            (
                "sweep: x\ngrid: {metric.x: [1]}\n" + stage,
                "t.yaml:2:8: error: parameter name 'metric.x' is reserved: names starting with 'metric.' are the run's own fields in '--where' and 'ablate runs'; rename the parameter"
            ),
            (
                "sweep: x\nstages:\n  sft-long: {run: echo}\n  sft_long: {run: echo}\n",
                "t.yaml:4:3: error: stages 'sft-long' and 'sft_long' would both pass their output as ABLATE_INPUT_SFT_LONG; rename one"
            ),
            (
                "sweep: x\nslurm: {partition: \"gpu\\n#SBATCH --time=1\"}\n" + stage,
                "t.yaml:2:20: error: 'slurm.partition' contains a line break or a NUL, which would end its #SBATCH line; write it on one line"
            ),
            (
                "sweep: x\nstages:\n  s: {run: echo, resources: {mem: \"1G\\nrm -rf x\"}}\n",
                "t.yaml:3:35: error: 'resources.mem' of stage 's' contains a line break or a NUL, which would end its #SBATCH line; write it on one line"
            ),
            (
                "sweep: x\nstages:\n  s: {run: echo, resources: {\"a\\nb\": 1}}\n",
                "t.yaml:3:30: error: resource 'a\\nb' in stage 's' is not an option name; use letters, digits, '_' and '-'"
            ),
            (
                "sweep: x\nslurm: {sbatch: [\"--comment=mine\"]}\n" + stage,
                "t.yaml:2:18: error: 'slurm.sbatch' sets --comment, which Ablate uses to find its own submissions again after a crash; remove it (--job-name and the job's config.json say what the job is)"
            ),
        ] as [(String, String)])
    func isRefusedWithAPositionedError(yaml: String, expected: String) {
        #expect(diagnostics(yaml) == [expected])
    }

    @Test func aHugeGridIsRefusedBeforeAnythingIsAllocated() {
        let values = "[" + (0..<1000).map(String.init).joined(separator: ", ") + "]"
        let yaml = "sweep: g\ngrid: {a: \(values), b: \(values), c: \(values)}\n" + Self.stage
        #expect(
            diagnostics(yaml) == [
                "t.yaml:2:8: error: the sweep has 1000 × 1000 × 1000 points, more than the 20,000,000 a sweep may have; split it into smaller sweeps"
            ])
    }

    @Test func anAliasBombIsRefusedQuickly() {
        var yaml = "sweep: b\nparams:\n  a: &a [x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            yaml += "  \(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = name
        }
        yaml += Self.stage
        #expect(
            diagnostics(yaml) == [
                "t.yaml:1:1: error: the document expands to more than 1,000,000 YAML nodes (aliases repeat what they name); write it without nesting aliases in aliases"
            ])
    }

    @Test func anAxisOf40000ValuesPlansAndFindsItsDuplicate() throws {
        let values = (0..<40_000).map(String.init) + ["17"]
        let yaml =
            "sweep: big\ngrid: {a: [" + values.joined(separator: ", ") + "]}\nstages:\n  s: {run: echo, uses: [a]}\n"
        let found = diagnostics(yaml)
        #expect(found.count == 1)
        #expect(
            found.first?.hasSuffix("value '17' appears twice in grid axis 'a' (first at 2:70); remove one") == true,
            "\(found)")
    }
}
