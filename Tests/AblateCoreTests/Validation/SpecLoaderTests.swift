import Testing

@testable import AblateCore

/// Every validation error, with its exact text and position.
@Suite struct SpecLoaderTests {
    static let stage = "stages:\n  s: {run: echo}\n"

    @Test(
        arguments: [
            ("", ["t.yaml:1:1: error: the spec is empty; it needs at least 'sweep' and 'stages'"]),
            (
                "- a\n- b\n",
                ["t.yaml:1:1: error: the spec must be a mapping with keys such as 'sweep' and 'stages', not a list"]
            ),
            (
                "sweep: x\nstages: {s: {run: [a\n",
                [
                    "t.yaml:3:1: error: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at 2:19)"
                ]
            ),
            (
                "sweep: x\nsweep: y\n" + stage,
                ["t.yaml:1:1: error: duplicate key 'sweep' in one mapping; each key may appear once"]
            ),
            (
                "stages:\n  s: {run: echo}\n",
                ["t.yaml:1:1: error: missing required key 'sweep'; add a name such as 'sweep: long-data-source'"]
            ),
            (
                "sweep: x\n",
                ["t.yaml:1:1: error: missing required key 'stages'; add at least one stage with a 'run' command"]
            ),
            ("sweep: x\nstagse: {}\n" + stage, ["t.yaml:2:1: error: unknown key 'stagse'; did you mean 'stages'?"]),
            (
                "sweep: x\nfoo: 1\n" + stage,
                [
                    "t.yaml:2:1: error: unknown key 'foo'; valid keys are 'sweep', 'description', 'params', 'presets', 'grid', 'zip', 'exclude', 'include', 'stages', 'metrics', 'slurm'"
                ]
            ),
            (
                "sweep: My Sweep\n" + stage,
                [
                    "t.yaml:1:8: error: sweep name 'My Sweep' is not valid; use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit"
                ]
            ),
            (
                "sweep: x\nstages: {}\n",
                ["t.yaml:2:9: error: 'stages' is empty; add at least one stage with a 'run' command"]
            ),
            (
                "sweep: x\nstages:\n  s: {uses: []}\n",
                ["t.yaml:3:3: error: stage 's' has no 'run' command; add 'run:' with the command that runs one job"]
            ),
            (
                "sweep: x\nstages:\n  s: {run: '  '}\n",
                ["t.yaml:3:12: error: 'run' of stage 's' is empty; give the command that runs one job"]
            ),
            (
                "sweep: x\nstages:\n  my stage: {run: echo}\n",
                [
                    "t.yaml:3:3: error: stage name 'my stage' is not valid; use letters, digits, '_' and '-', starting with a letter"
                ]
            ),
            (
                "sweep: x\nstages:\n  s: {run: echo, use: [a]}\n",
                ["t.yaml:3:18: error: unknown key 'use' in stage 's'; did you mean 'uses'?"]
            ),
            (
                "sweep: x\ngrid: [1, 2]\n" + stage,
                ["t.yaml:2:7: error: 'grid' must be a mapping from parameter names to lists of values, not a list"]
            ),
            (
                "sweep: x\ngrid: {a: 1}\n" + stage,
                [
                    "t.yaml:2:11: error: grid axis 'a' must be a list of values, not a number; write [value] for a single value"
                ]
            ),
            (
                "sweep: x\ngrid: {a: []}\n" + stage,
                ["t.yaml:2:11: error: grid axis 'a' has no values; give at least one"]
            ),
            (
                "sweep: x\ngrid: {a: [1, 2, 1.0]}\n" + stage,
                ["t.yaml:2:18: error: value '1' appears twice in grid axis 'a' (first at 2:12); remove one"]
            ),
            (
                "sweep: x\ngrid: {a: [1]}\nzip: [{a: [2]}]\n" + stage,
                ["t.yaml:3:8: error: parameter 'a' is already an axis at 2:8; a parameter can vary in one place only"]
            ),
            (
                "sweep: x\nzip:\n  - {a: [1, 2, 3], b: [1, 2]}\n" + stage,
                [
                    "t.yaml:3:20: error: zip lists have unequal lengths: 'a' has 3 values, 'b' has 2; lists in one zip group vary together and must be equally long"
                ]
            ),
            (
                "sweep: x\nzip:\n  - {a: [1, 1], b: [2, 2]}\n" + stage,
                [
                    "t.yaml:3:13: error: value '1' appears twice in zip list 'a' (first at 3:10); remove one",
                    "t.yaml:3:24: error: value '2' appears twice in zip list 'b' (first at 3:21); remove one",
                ]
            ),
            ("sweep: x\nzip:\n  - {a: [1, 2], b: [2, 1]}\n" + stage, []),
            (
                "sweep: x\ngrid: {a: [1, 2]}\nexclude:\n  - {b: 1}\n" + stage,
                [
                    "t.yaml:4:6: error: unknown parameter 'b' in exclude; exclude entries can only name parameters that 'params', 'grid' or 'zip' define"
                ]
            ),
            (
                "sweep: x\ngrid: {seed: [1, 2]}\nexclude:\n  - {sed: 1}\n" + stage,
                ["t.yaml:4:6: error: unknown parameter 'sed' in exclude; did you mean 'seed'?"]
            ),
            (
                "sweep: x\ngrid: {seed: [1, 2]}\ninclude:\n  - {sede: 3}\n" + stage,
                ["t.yaml:4:6: error: unknown parameter 'sede' in include; did you mean 'seed'?"]
            ),
            (
                "sweep: x\ngrid: {a: [1, 2]}\nexclude:\n  - {a: 3}\n" + stage,
                ["t.yaml:4:5: warning: this exclude entry matches no point; check its values"]
            ),
            (
                "sweep: x\ngrid: {a: [1, 2]}\nexclude:\n  - {a: 1}\n  - {a: 2}\n" + stage,
                ["t.yaml:1:1: error: the sweep has no points: every point is excluded; loosen 'exclude'"]
            ),
            (
                "sweep: x\ngrid: {a: [1, 2]}\ninclude:\n  - {a: 2}\n" + stage,
                ["t.yaml:4:5: error: this include point is already a point of the grid (a=2); remove it"]
            ),
            (
                "sweep: x\ngrid: {a: [1, 2]}\ninclude:\n  - {a: 3}\n  - {a: 3}\n" + stage,
                ["t.yaml:5:5: error: this include point repeats the include point at 4:5; remove one"]
            ),
            (
                "sweep: x\ngrid: {a: [one]}\npresets:\n  a: {one: 1, two: 2}\n" + stage,
                [
                    "t.yaml:4:15: error: preset 'two' of parameter 'a' is never used; use it in params, grid, zip or include, or remove it"
                ]
            ),
            (
                "sweep: x\ngrid: {a: [1]}\npresets:\n  b: {one: 1}\n" + stage,
                ["t.yaml:4:3: error: presets are given for unknown parameter 'b'"]
            ),
            (
                "sweep: x\ngrid: {a: [1]}\nstages:\n  s: {run: echo, uses: [a, b]}\n",
                ["t.yaml:4:28: error: stage 's' uses unknown parameter 'b'"]
            ),
            (
                "sweep: x\ngrid: {a: [1]}\nstages:\n  s: {run: echo, uses: [a, a]}\n",
                ["t.yaml:4:28: error: 'uses' of stage 's' lists 'a' twice (first at 4:25); remove one"]
            ),
            (
                "sweep: x\nstages:\n  s: {run: echo, after: [t]}\n  u: {run: echo}\n",
                ["t.yaml:3:26: error: stage 's' runs after unknown stage 't'"]
            ),
            (
                "sweep: x\nstages:\n  s: {run: echo, after: [evl]}\n  eval: {run: echo}\n",
                ["t.yaml:3:26: error: stage 's' runs after unknown stage 'evl'; did you mean 'eval'?"]
            ),
            (
                "sweep: x\nstages:\n  a: {run: echo, after: [b]}\n  b: {run: echo, after: [a]}\n",
                [
                    "t.yaml:4:26: error: stages 'a' -> 'b' -> 'a' form a cycle in 'after'; remove one of these dependencies"
                ]
            ),
            (
                "sweep: x\nstages:\n  s: {run: echo}\nslurm: {partiton: gpu, max_running: 0, sbatch: [exclusive]}\n",
                [
                    "t.yaml:4:9: error: unknown key 'partiton' in 'slurm'; did you mean 'partition'?",
                    "t.yaml:4:37: error: 'slurm.max_running' must be a whole number, 1 or more, not '0'",
                    "t.yaml:4:49: error: 'slurm.sbatch' entry 'exclusive' is not an sbatch option; write one option per entry, such as '--exclusive' or '--constraint=h100'",
                ]
            ),
            (
                "sweep: x\nstages:\n  s: {run: echo, resources: {nodes: 0, sbatch: --exclusive}}\nslurm: {signal: soon}\n",
                [
                    "t.yaml:3:37: error: 'resources.nodes' of stage 's' must be a whole number, 1 or more, not '0'",
                    "t.yaml:3:48: error: 'resources.sbatch' of stage 's' must be a list of sbatch options such as ['--exclusive'], not a string",
                    "t.yaml:4:17: error: 'slurm.signal' 'soon' is not a duration; write seconds (600) or a number with s, m, h or d (10m)",
                ]
            ),
            (
                "sweep: x\nstages:\n  a: {run: echo, after: [a]}\n",
                ["t.yaml:3:26: error: stages 'a' -> 'a' form a cycle in 'after'; remove one of these dependencies"]
            ),
            (
                "sweep: x\nstages:\n  a: {run: 'echo {nope}'}\n",
                [
                    "t.yaml:3:12: error: placeholder '{nope}' in stage 'a' is not valid: placeholders are {config}, {output}, {STAGE.output}, {params.NAME}, {STAGE.checkpoint} and {checkpoint.step}; write '{{' for a literal brace"
                ]
            ),
            (
                "sweep: x\nstages:\n  a: {run: 'echo {output'}\n",
                [
                    "t.yaml:3:12: error: placeholder '{output' in stage 'a' is not valid: it has no closing '}'; write '{{' for a literal brace"
                ]
            ),
            (
                "sweep: x\nparams: {lr: 1}\nstages:\n  a: {run: 'echo {params.lr}'}\n",
                [
                    "t.yaml:4:12: error: placeholder '{params.lr}' names 'lr', which stage 'a' does not use; add 'lr' to its 'uses'"
                ]
            ),
            (
                "sweep: x\nparams: {lr: 1}\nstages:\n  a: {run: 'echo {params.lrr}', uses: [lr]}\n",
                [
                    "t.yaml:4:12: error: placeholder '{params.lrr}' in stage 'a' names unknown parameter 'lrr'; did you mean 'lr'?"
                ]
            ),
            (
                "sweep: x\nstages:\n  a: {run: echo}\n  b: {run: 'echo {a.output}'}\n",
                [
                    "t.yaml:4:12: error: placeholder '{a.output}' names stage 'a', which is not upstream of 'b'; add 'a' to its 'after'"
                ]
            ),
            (
                "sweep: x\nstages:\n  a: {run: echo}\n  b: {run: 'echo {x.output}', after: [a]}\n",
                ["t.yaml:4:12: error: placeholder '{x.output}' in stage 'b' names unknown stage 'x'"]
            ),
            (
                "sweep: x\ngrid: {a: [1]}\ninclude:\n  - {a: 2}\nparams: {b: 1}\nstages:\n  s: {run: echo, uses: [c]}\n",
                ["t.yaml:7:25: error: stage 's' uses unknown parameter 'c'"]
            ),
            (
                "sweep: x\ngrid: {a: [1, 2]}\nzip: [{b: [1], c: [2]}]\nstages:\n  s: {run: echo, uses: [d]}\n",
                ["t.yaml:5:25: error: stage 's' uses unknown parameter 'd'"]
            ),
            (
                "sweep: x\nstages:\n  s: {run: echo, retries: -1, timeout: 10 minutes}\n",
                [
                    "t.yaml:3:27: error: 'retries' of stage 's' must be a whole number, 0 or more, not '-1'",
                    "t.yaml:3:40: error: timeout of stage 's' '10 minutes' is not a duration; write seconds (600) or a number with s, m, h or d (10m)",
                ]
            ),
            (
                "sweep: x\nstages:\n  s: {run: echo, resources: {cpus: 0, gpus: two}}\n",
                [
                    "t.yaml:3:36: error: 'resources.cpus' of stage 's' must be a whole number, 1 or more, not '0'",
                    "t.yaml:3:45: error: 'resources.gpus' of stage 's' must be a whole number, 0 or more, not 'two'",
                ]
            ),
            (
                "sweep: x\nstages:\n  s: {run: echo, resources: {gpu: 1}}\n",
                [
                    "t.yaml:3:30: warning: unknown resource 'gpu' in stage 's'; did you mean 'gpus'? (other keys are passed to the backend as they are)"
                ]
            ),
            (
                "sweep: x\nmetrics: {recall: {goal: maximize}}\n" + stage,
                ["t.yaml:2:26: error: goal 'maximize' of metric 'recall' is not valid; use 'max' or 'min'"]
            ),
            (
                "sweep: x\nmetrics: {recall: {gaol: max}}\n" + stage,
                ["t.yaml:2:20: error: unknown key 'gaol' in metric 'recall'; did you mean 'goal'?"]
            ),
            (
                "sweep: x\nparams: {2lr: 1}\n" + stage,
                [
                    "t.yaml:2:10: error: parameter name '2lr' is not valid; use letters, digits, '_', '-' and '.', starting with a letter or '_'"
                ]
            ),
            (
                "sweep: x\ngrid: {a: [1]}\nparams: {a: 0}\n" + stage,
                ["t.yaml:3:10: warning: 'a' in 'params' is overridden by the axis at 2:8; remove one of them"]
            ),
        ] as [(String, [String])])
    func reportsProblem(yaml: String, expected: [String]) {
        #expect(diagnostics(yaml) == expected)
    }

    @Test func unresolvedPointsAreReported() {
        let yaml = """
            sweep: x
            grid: {a: [1, 2]}
            params: {b: 1}
            include:
              - {b: 2}
            stages:
              s: {run: echo, uses: [a, b]}
            """
        #expect(
            diagnostics(yaml) == [
                "t.yaml:5:5: error: stage 's' uses 'a', but this include point has no value for it; set 'a' in this entry or in 'params'"
            ])
    }

    @Test func everyProblemIsReportedAtOnce() {
        let yaml = """
            sweep: Bad
            stagse: {}
            grid:
              seed: [1, 2]
            exclude:
              - {sed: 1}
            stages:
              pretrain: {run: "train {params.seed}", uses: [sed], after: [evl]}
              eval: {run: echo, after: [pretrain], retries: x}
            """
        #expect(
            diagnostics(yaml) == [
                "t.yaml:1:8: error: sweep name 'Bad' is not valid; use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit",
                "t.yaml:2:1: error: unknown key 'stagse'; did you mean 'stages'?",
                "t.yaml:6:6: error: unknown parameter 'sed' in exclude; did you mean 'seed'?",
                "t.yaml:8:19: error: placeholder '{params.seed}' names 'seed', which stage 'pretrain' does not use; add 'seed' to its 'uses'",
                "t.yaml:8:49: error: stage 'pretrain' uses unknown parameter 'sed'; did you mean 'seed'?",
                "t.yaml:8:63: error: stage 'pretrain' runs after unknown stage 'evl'; did you mean 'eval'?",
                "t.yaml:9:49: error: 'retries' of stage 'eval' must be a whole number, 0 or more, not 'x'",
            ])
    }

    @Test func scalarsFollowTheYAML12CoreSchema() throws {
        let loaded = try load(
            "sweep: x\ngrid: {flag: [on, no, true, 1:30, 0x10, 1_000, '7', ~, 2.50]}\nstages:\n  s: {run: echo, uses: [flag]}\n"
        )
        let values = (0..<loaded.plan.runCount).map { loaded.plan.runParams($0)[0].value.value }
        #expect(
            values == [
                .string("on"), .string("no"), .bool(true), .string("1:30"), .int(16), .int(1000), .string("7"), .null,
                .double(2.5),
            ])
    }
}
