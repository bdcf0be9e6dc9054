/// Indented JSON with sorted keys, for output meant to be read and diffed as well as parsed.
public enum PrettyJSON {
    /// Renders `value` with two-space indentation and keys in canonical order.
    public static func render(_ value: ParamValue) -> String {
        var out = ""
        write(value, indent: 0, to: &out)
        return out
    }

    private static func write(_ value: ParamValue, indent: Int, to out: inout String) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closePad = String(repeating: "  ", count: indent)
        switch value {
        case .array(let items) where !items.isEmpty:
            out += "[\n"
            for (offset, item) in items.enumerated() {
                out += pad
                write(item, indent: indent + 1, to: &out)
                out += offset == items.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "]"
        case .object(let members) where !members.isEmpty:
            out += "{\n"
            let keys = CanonicalJSON.sortedKeys(members.keys)
            for (offset, key) in keys.enumerated() {
                out += pad + ParamValue.string(key).canonicalJSON + ": "
                write(members[key]!, indent: indent + 1, to: &out)
                out += offset == keys.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "}"
        default:
            out += value.canonicalJSON
        }
    }
}
