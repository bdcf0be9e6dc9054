import Foundation
import Testing

@testable import AblateGit

/// Provenance through libgit2 on real repositories made with the git command line.
@Suite struct GitInspectorTests {
    struct Repository: ~Copyable {
        let url: URL

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("ablate-git-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }

        var path: String { url.path }

        @discardableResult
        func git(_ arguments: String...) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments =
                [
                    "git", "-c", "user.name=Test", "-c", "user.email=t@example.com",
                    "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
                ] + arguments
            process.currentDirectoryURL = url
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func write(_ text: String, to name: String) throws {
            let file = url.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }

        deinit { try? FileManager.default.removeItem(at: url) }
    }

    @Test func cleanRepositoryOnABranch() throws {
        let repository = try Repository()
        try repository.git("init", "-q")
        try repository.write("print('train')\n", to: "train.py")
        try repository.git("add", ".")
        try repository.git("commit", "-q", "-m", "first")
        try repository.git("checkout", "-q", "-b", "ablation/rope")
        let commit = try repository.git("rev-parse", "HEAD")
        let revision = try GitInspector.inspect(path: repository.path)
        #expect(revision.isRepository)
        #expect(revision.commit == commit)
        #expect(revision.branch == "ablation/rope")
        #expect(!revision.dirty)
        #expect(revision.diff == "")
        #expect(revision.untracked == [])
        #expect(
            revision.root.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
                == repository.url.resolvingSymlinksInPath().path)
    }

    @Test func uncommittedChangesAndUntrackedFilesMakeItDirty() throws {
        let repository = try Repository()
        try repository.git("init", "-q")
        try repository.write("lr = 1e-5\n", to: "config.py")
        try repository.git("add", ".")
        try repository.git("commit", "-q", "-m", "first")
        try repository.write("lr = 2e-5\n", to: "config.py")
        try repository.write("scratch\n", to: "notes/todo.txt")
        try repository.write("staged\n", to: "new.py")
        try repository.git("add", "new.py")
        let revision = try GitInspector.inspect(path: repository.url.appendingPathComponent("notes").path)
        #expect(revision.dirty)
        #expect(revision.untracked == ["notes/todo.txt"])
        #expect(revision.diff.contains("-lr = 1e-5\n+lr = 2e-5"))
        #expect(revision.diff.contains("+++ b/new.py"))
        // The same patch git itself prints.
        #expect(revision.diff == (try repository.git("diff", "HEAD")) + "\n")
    }

    @Test func detachedHeadHasNoBranch() throws {
        let repository = try Repository()
        try repository.git("init", "-q")
        try repository.write("a\n", to: "a")
        try repository.git("add", ".")
        try repository.git("commit", "-q", "-m", "first")
        try repository.git("checkout", "-q", "--detach")
        let revision = try GitInspector.inspect(path: repository.path)
        #expect(revision.branch == nil)
        #expect(revision.commit?.count == 40)
    }

    @Test func repositoryWithoutCommits() throws {
        let repository = try Repository()
        try repository.git("init", "-q")
        try repository.write("a\n", to: "a")
        let revision = try GitInspector.inspect(path: repository.path)
        #expect(revision.isRepository)
        #expect(revision.commit == nil)
        #expect(revision.branch == "main")
        #expect(revision.untracked == ["a"])
        #expect(revision.dirty)
    }

    @Test func aPlainDirectoryIsRecordedAsNotARepository() throws {
        let directory = try Repository()
        let revision = try GitInspector.inspect(path: directory.path)
        #expect(revision == .notARepository(directory.path))
    }
}
