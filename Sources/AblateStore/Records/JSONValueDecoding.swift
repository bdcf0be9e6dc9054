import AblateCore

/// Converts JSON text (as stored) back into parameter values.
enum JSONValueDecoding {
    static func decode(_ text: String) -> ParamValue {
        (try? JSONParser.parse(text)) ?? .string(text)
    }
}
