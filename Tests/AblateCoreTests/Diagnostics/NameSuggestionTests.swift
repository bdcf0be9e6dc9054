import Testing

@testable import AblateCore

@Suite struct NameSuggestionTests {
    @Test(
        arguments: [
            ("stagse", "stages"), ("sweeps", "sweep"), ("uses", nil), ("use", "uses"), ("grdi", "grid"),
            ("xyz", nil), ("Stages", "stages"),
        ] as [(String, String?)])
    func suggests(name: String, expected: String?) {
        let candidates = ["sweep", "stages", "grid", "zip", "uses", "params"]
        #expect(NameSuggestion.nearest(to: name, in: candidates.filter { $0 != name }) == expected)
    }
}
