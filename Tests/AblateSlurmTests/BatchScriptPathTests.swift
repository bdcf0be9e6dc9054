import Testing

@testable import AblateSlurm

/// Work directories as batch scripts must write them.
@Suite struct BatchScriptPathTests {
    @Test func aPercentInTheWorkDirectoryIsNotAFilenamePattern() {
        #expect(BatchScript.pattern("/w/100%/jobs") == "/w/100%%/jobs")
    }

    @Test(arguments: ["/w/a\"b", "/w/a\nb", "/w/a\rb"])
    func aDirectoryAnSBATCHLineCannotCarryIsRefused(directory: String) {
        #expect(BatchScript.problem(withDirectory: directory)?.hasSuffix("choose another --workdir") == true)
    }

    @Test func anOrdinaryDirectoryWithSpacesIsFine() {
        #expect(BatchScript.problem(withDirectory: "/w/work dir/it's") == nil)
    }
}
