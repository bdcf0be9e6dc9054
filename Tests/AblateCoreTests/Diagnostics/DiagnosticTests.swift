import Testing

@testable import AblateCore

@Suite struct DiagnosticTests {
    @Test func rendersCompilerStyleWithCaret() {
        let diagnostic = Diagnostic(
            file: "s.yaml", location: SourceLocation(line: 2, column: 3), message: "unknown key 'x'")
        #expect(diagnostic.description == "s.yaml:2:3: error: unknown key 'x'")
        #expect(diagnostic.rendered(source: "a: 1\n  x: 2\n") == "s.yaml:2:3: error: unknown key 'x'\n  x: 2\n  ^")
    }
}
