import Testing

@_spi(Benchmarks) @testable import AblateStore

@Suite struct FilterParserTests {
    @Test func parsesPrecedenceAndLists() throws {
        let parsed = try FilterParser.parse("a = 1 or b in (x, 'y z') and not metric.recall >= 0.5")
        #expect(
            parsed
                == .or(
                    .comparison(field: "a", op: .equal, value: .number(1, text: "1")),
                    .and(
                        .membership(field: "b", values: [.string("x"), .string("y z")]),
                        .not(.comparison(field: "metric.recall", op: .greaterOrEqual, value: .number(0.5, text: "0.5")))
                    )))
    }

    @Test(arguments: [
        ("train_length >=", 16, "expected a value after '>=' but found end of expression"),
        ("a = 1 b = 2", 7, "unexpected 'b'; join conditions with 'and' or 'or'"),
        ("(a = 1", 7, "expected ')' to close the '(' at column 1"),
        ("a ! 1", 3, "'!' must be followed by '='; write 'not' to negate"),
        ("a = 'open", 5, "unterminated string; close it with '"),
        (
            "and a = 1", 1,
            "expected a field name (a parameter, metric.KEY, status, sweep, git.commit, git.dirty) but found 'and'"
        ),
        ("a 1", 3, "expected a comparison (= != < <= > >=) or 'in' after 'a' but found '1'"),
        ("a in 1", 6, "expected '(' to start the list after 'in'"),
        ("a in (1 2)", 9, "expected ',' or ')' in the list"),
        ("git.dirty = maybe", 13, "git.dirty is true or false, not 'maybe'"),
        ("git.dirty > 1", 11, "git.dirty is true or false; compare it with = or !="),
        ("git.dirty in (yes, maybe)", 20, "git.dirty is true or false, not 'maybe'"),
        (
            "x in (" + (0...10_000).map(String.init).joined(separator: ",") + ")", 48897,
            "an 'in' list may have at most 10000 values; split the query"
        ),
        ("metric.x > 1e400", 12, "'1e400' is not a finite number; write a number such as 1e300"),
        (
            String(repeating: "(", count: 20000) + "a = 1" + String(repeating: ")", count: 20000), 33,
            "the expression nests parentheses and 'not's more than 32 deep; write it flatter"
        ),
        (
            String(repeating: "not (", count: 40) + "a = 1" + String(repeating: ")", count: 40), 81,
            "the expression nests parentheses and 'not's more than 32 deep; write it flatter"
        ),
    ])
    func reportsTheColumn(expression: String, column: Int, message: String) {
        #expect(throws: FilterError(expression: expression, column: column, message: message)) {
            try FilterParser.parse(expression)
        }
    }

    @Test func errorShowsACaretUnderTheColumn() {
        let error = FilterError(expression: "a = 1 b", column: 7, message: "unexpected 'b'")
        #expect(error.localizedDescription == "--where:7: error: unexpected 'b'\n  a = 1 b\n        ^")
    }

    @Test func aRunOfNotsIsReadInALoopAndCancelsInPairs() throws {
        let comparison = FilterExpression.comparison(field: "a", op: .equal, value: .number(1, text: "1"))
        #expect(try FilterParser.parse(String(repeating: "not ", count: 40) + "a = 1") == comparison)
        #expect(try FilterParser.parse(String(repeating: "not ", count: 20001) + "a = 1") == .not(comparison))
    }
}
