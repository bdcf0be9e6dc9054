import AblateTestSupport
import Foundation
import Testing

/// Code provenance and code identity through the built binary: a stage's `repo:` is a real git
/// repository (the trainer's checkout), changed between runs as a user would.
@Suite(.serialized) struct CodeProvenanceCommandTests {
    /// A work directory with a git repository `tr/` holding a committed `train.sh`.
    struct Workspace {
        let directory: URL

        init() throws {
            directory = try AblateProcess.temporaryDirectory()
            let repo = directory.appendingPathComponent("tr")
            try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
            try "echo trained\n".write(to: repo.appendingPathComponent("train.sh"), atomically: true, encoding: .utf8)
            try git("init", "-q")
            try git("add", "train.sh")
            try git("commit", "-q", "-m", "first")
        }

        @discardableResult
        func git(_ arguments: String...) throws -> String {
            let result = try AblateProcess.tool(
                "/usr/bin/git",
                [
                    "-c", "user.name=Test", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main",
                    "-c", "commit.gpgsign=false",
                ] + arguments, in: directory.appendingPathComponent("tr"))
            #expect(result.status == 0, "git \(arguments): \(result.output)")
            return result.output
        }

        func spec(code: String?) throws {
            let codeLine = code.map { ", code: \($0)" } ?? ""
            try """
            sweep: prov
            grid: {seed: [1]}
            stages:
              train: {uses: [seed], repo: tr\(codeLine), run: "sh tr/train.sh {params.seed}"}

            """.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        }

        func ablate(_ arguments: String...) throws -> AblateProcess.Result {
            try AblateProcess.run(arguments, in: directory)
        }

        func edit(_ text: String) throws {
            try text.write(
                to: directory.appendingPathComponent("tr/train.sh"), atomically: true, encoding: .utf8)
        }
    }

    @Test func aDirtyRepositoryIsRecordedPerAttemptAndShown() throws {
        let workspace = try Workspace()
        let commit = try workspace.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try workspace.edit("echo trained differently\n")
        try workspace.spec(code: nil)
        let run = try workspace.ablate("run", "s.yaml")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let runs = try workspace.ablate("runs", "--format", "csv", "--columns", "id")
        let id = try #require(runs.stdout.split(separator: "\n").dropFirst().first.map(String.init))
        let shown = try workspace.ablate("show", id, "--diff")
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("code \(commit.prefix(12)) (dirty)"), "\(shown.stdout)")
        #expect(shown.stdout.contains("git (job:train): \(workspace.directory.appendingPathComponent("tr").path)"))
        #expect(shown.stdout.contains("  commit   \(commit)"))
        #expect(shown.stdout.contains("  dirty    yes"))
        #expect(shown.stdout.contains("diff (job:train):"))
        #expect(shown.stdout.contains("+echo trained differently"))
        #expect(shown.stdout.contains("-echo trained"))
    }

    @Test func withCodeKeyACommitMakesTheStagesJobsNew() throws {
        let workspace = try Workspace()
        try workspace.spec(code: "key")
        #expect(try workspace.ablate("run", "s.yaml").status == 0)
        let before = try workspace.ablate("plan", "s.yaml")
        #expect(before.stdout.contains("train  1 job, 1 done"), "\(before.stdout)")
        try workspace.edit("echo trained with a fix\n")
        let edited = try workspace.ablate("plan", "s.yaml")
        #expect(edited.stdout.contains("train  1 job\n"), "an uncommitted change is new code: \(edited.stdout)")
        try workspace.git("commit", "-q", "-am", "fix")
        let committed = try workspace.ablate("plan", "s.yaml")
        #expect(committed.status == 0)
        #expect(committed.stdout.contains("train  1 job\n"), "\(committed.stdout)")
        #expect(!committed.stdout.contains("(done)"))
        #expect(!committed.stderr.contains("warning"), "\(committed.stderr)")
    }

    @Test func withoutCodeKeyPlanWarnsThatAReusedJobRanOtherCode() throws {
        let workspace = try Workspace()
        try workspace.spec(code: nil)
        #expect(try workspace.ablate("run", "s.yaml").status == 0)
        let clean = try workspace.ablate("plan", "s.yaml")
        #expect(!clean.stderr.contains("warning"), "\(clean.stderr)")
        let old = try workspace.git("rev-parse", "HEAD").prefix(12)
        try workspace.edit("echo trained with a fix\n")
        try workspace.git("commit", "-q", "-am", "fix")
        let new = try workspace.git("rev-parse", "HEAD").prefix(12)
        let plan = try workspace.ablate("plan", "s.yaml")
        #expect(plan.status == 0)
        #expect(plan.stdout.contains("train  1 job, 1 done"), "\(plan.stdout)")
        #expect(
            plan.stderr
                == "warning: stage 'train': 1 of 1 job(s) to be reused ran other code than 'tr' holds now "
                + "(they ran commit \(old), it is commit \(new)); "
                + "add 'code: key' to the stage to run its jobs again when its code changes\n")
    }

    @Test func codeKeyOnADirectoryThatIsNotARepositoryIsAPositionedError() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("plain"), withIntermediateDirectories: true)
        try """
        sweep: prov
        stages:
          train: {repo: plain, code: key, run: "true"}

        """.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let plan = try AblateProcess.run(["plan", "s.yaml"], in: directory)
        #expect(plan.status == 2)
        #expect(
            plan.stderr.hasPrefix(
                "s.yaml:3:30: error: stage 'train' has 'code: key' but the code of its repo 'plain' cannot be read: 'plain' is not a git repository"
            ), "\(plan.stderr)")
    }
}
