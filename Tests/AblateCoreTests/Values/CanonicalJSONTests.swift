import Testing

@testable import AblateCore

@Suite struct CanonicalJSONTests {
    @Test(arguments: [
        (ParamValue.object(["b": .int(1), "a": .string("x")]), #"{"a":"x","b":1}"#),
        (.double(1.0), "1"),
        (.double(1e-5), "1e-5"),
        (.double(5e9), "5000000000"),
        (.double(0.1), "0.1"),
        (.double(2.5e20), "2.5e+20"),
        (.string("quote\" back\\ nl\n tab\t \u{01}"), #""quote\" back\\ nl\n tab\t \u0001""#),
        (.array([.null, .bool(true), .int(-3)]), "[null,true,-3]"),
        (.object(["é": .int(1), "z": .int(2), "A": .int(3)]), #"{"A":3,"z":2,"é":1}"#),
    ])
    func encodes(value: ParamValue, expected: String) {
        #expect(value.canonicalJSON == expected)
    }

    @Test func equalityIgnoresKeyOrderAndIntegralDoubles() {
        #expect(ParamValue.object(["a": .int(1), "b": .int(2)]) == .object(["b": .int(2), "a": .double(1)]))
        #expect(ParamValue.int(1) != .string("1"))
    }
}
