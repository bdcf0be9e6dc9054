import AblateKit
import AblateTestSupport
import ArgumentParser
import Foundation
import Testing

@testable import ablate

/// Hostile input in bulk: 100,000 generated inputs a run (specs, report specs, `--where` strings and
/// command lines; `ABLATE_FUZZ_INPUTS` and `ABLATE_FUZZ_SEED` change that), each of which
/// must end as a result or as the error that means "invalid input" (exit 2) — never a crash, which
/// would kill this test process. A sample of command lines also runs the built `ablate`, whose exit
/// must be 0, 1 or 2 and never a signal. docs/testing.md says how to run it longer.
@Suite(.serialized) struct FuzzTests {
    static func corpus(_ folder: String) -> [String] {
        let directory = AblateProcess.packageRoot.appendingPathComponent(folder)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.sorted().compactMap {
            try? String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)
        }
    }

    @Test func sweepSpecs() throws {
        let sweeps = Self.corpus("sweeps")
        try #require(!sweeps.isEmpty)
        var input = FuzzInput(kind: 1)
        var valid = 0
        for _ in 0..<FuzzInput.count(40) {
            let text = input.mutate(input.pick(sweeps))
            do {
                let loaded = try SpecLoader.load(yaml: text, file: "fuzz.yaml", codeIdentity: { _ in "fuzz" })
                _ = PlanSummary(plan: loaded.plan).text(limit: 5)
                valid += 1
            } catch {
                for diagnostic in error.diagnostics { _ = diagnostic.rendered(source: text) }
            }
        }
        #expect(valid > 0, "no mutated spec was valid: the mutations are too destructive to test expansion")
    }

    @Test func reportSpecs() throws {
        let reports = Self.corpus("reports")
        try #require(!reports.isEmpty)
        var input = FuzzInput(kind: 2)
        for _ in 0..<FuzzInput.count(30) {
            let text = input.mutate(input.pick(reports))
            do {
                let spec = try ReportSpecParser.parse(yaml: text, file: "fuzz.yaml")
                _ = ReportBuilder(spec: spec).build(ReportContext(runs: []))
            } catch {
                for diagnostic in error.diagnostics { _ = diagnostic.rendered(source: text) }
            }
        }
    }

    @Test func whereExpressions() throws {
        let store = try ResultStore.inMemory()
        let plan = try SpecLoader.load(
            yaml:
                "sweep: f\ngrid: {seed: [1, 2], long_data: [books, repos]}\nstages:\n  s: {uses: [seed, long_data], run: 'true'}\n",
            file: "f.yaml"
        ).plan
        _ = try store.record(plan: plan, specPath: nil, revision: nil)
        var input = FuzzInput(kind: 3)
        var unexpected: [String] = []
        for index in 0..<FuzzInput.count(25) {
            let expression = input.whereExpression()
            do {
                // Every expression is parsed and compiled; one in 5 also runs, to check that SQLite
                // takes the SQL it compiles to.
                let parsed = try FilterParser.parse(expression)
                _ = FilterCompiler.compile(parsed)
                if index % 5 == 0 { _ = try store.runs(where: expression) }
            } catch let error as FilterError {
                _ = error.localizedDescription
            } catch {
                // Anything else means the filter compiled to SQL that SQLite refused: a bug.
                if unexpected.count < 5 { unexpected.append("\(expression.prefix(300)): \(error)") }
            }
        }
        #expect(unexpected.isEmpty, "\(unexpected.joined(separator: "\n"))")
    }

    @Test func commandLinesParse() {
        var input = FuzzInput(kind: 4)
        for _ in 0..<FuzzInput.count(5) {
            let arguments = input.arguments()
            do {
                _ = try Ablate.parseAsRoot(arguments)
            } catch {
                let code = Ablate.exitCode(for: error)
                _ = Ablate.fullMessage(for: error)
                #expect(code == .success || code == .validationFailure, "\(arguments) exits \(code.rawValue)")
            }
        }
    }

    /// A sample through the built binary: exit 0, 1 or 2, never a signal. Commands that would start
    /// background work or submit to Slurm are left out.
    @Test func commandLinesRun() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try
            "sweep: s\ngrid: {seed: [1, 2]}\nstages:\n  t: {uses: [seed], run: 'echo {{\\\"loss\\\": 1}} >> $ABLATE_METRICS'}\n"
            .write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        #expect(try AblateProcess.run(["run", "s.yaml"], in: directory).status == 0)
        var input = FuzzInput(kind: 5)
        let samples = max(1, FuzzInput.total / 400)
        var done = 0
        while done < samples {
            var arguments = input.arguments()
            guard !arguments.contains(where: { ["--detach", "--follow", "-f", "slurm", "--watch"].contains($0) }) else {
                continue
            }
            if arguments.first == "run" || arguments.first == "plan" { arguments.insert("s.yaml", at: 1) }
            let result = try AblateProcess.run(arguments, in: directory)
            #expect(
                [0, 1, 2].contains(result.status), "\(arguments) exited \(result.status): \(result.stderr.prefix(500))")
            done += 1
        }
    }
}
