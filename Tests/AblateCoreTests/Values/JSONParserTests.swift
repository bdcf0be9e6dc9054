import AblateCore
import Testing

@Suite struct JSONParserTests {
    static let document = #"""
        {"args": {"datasets": "kilt_nq", "nested": [1, [2, {"a": "}]\"x"}], true, null, NaN, -Infinity]},
         "data": [{"id": "q\\1", "output": "an \"answer\" {with} [braces]"}, {"id": 2, "score": -1.5e-3}],
         "averaged_metrics": {"substring_exact_match": 58.0, "input_len": 32712.5}, "throughput": 1}
        """#

    @Test func memberReadsOneMemberAndSkipsTheRest() throws {
        let bytes = Array(Self.document.utf8)
        let averaged = try JSONParser.member("averaged_metrics", in: bytes)
        #expect(averaged == .object(["substring_exact_match": .double(58), "input_len": .double(32712.5)]))
        #expect(try JSONParser.member("throughput", in: bytes) == .int(1))
        #expect(try JSONParser.member("absent", in: bytes) == nil)
        #expect(
            try JSONParser.member("averaged_metrics", in: bytes)
                == JSONParser.parse(bytes: bytes).objectMember("averaged_metrics"))
    }

    @Test(arguments: [
        (#"{"data": [1, 2"#, "unterminated array"),
        (#"{"data": "abc"#, "unterminated string"),
        (#"{"data": {"a": 1}, "averaged_metrics": {"x": 1"#, "unterminated object"),
        (#"{"data": [1, 2], "x": tru}"#, "invalid literal"),
        (#"[1, 2]"#, "expected an object"),
        (#"{"a": 1} trailing"#, "unexpected text after the value"),
    ])
    func memberStillChecksTheWholeDocument(text: String, reason: String) {
        #expect {
            try JSONParser.member("averaged_metrics", in: Array(text.utf8))
        } throws: { error in
            (error as? JSONParser.Failure)?.reason == reason
        }
    }
}

extension ParamValue {
    fileprivate func objectMember(_ key: String) -> ParamValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }
}
