/// A parameter value from a sweep spec: any YAML value that has a JSON form.
///
/// Values compare by their canonical JSON (``canonicalJSON``), so map key order never matters and
/// `1` equals `1.0`, as in RFC 8785. This is the value that reaches a job's `config.json` and its key.
public enum ParamValue: Sendable, Hashable, CustomStringConvertible {
    /// JSON `null` (YAML `null`, `~` or an empty value).
    case null
    /// A boolean.
    case bool(Bool)
    /// A whole number.
    case int(Int64)
    /// A number with a fraction or an exponent.
    case double(Double)
    /// A string.
    case string(String)
    /// A list of values.
    case array([ParamValue])
    /// A map from strings to values.
    case object([String: ParamValue])

    /// The canonical JSON text: sorted keys, no insignificant white space, shortest numbers.
    public var canonicalJSON: String { String(decoding: canonicalJSONBytes, as: UTF8.self) }

    /// The canonical JSON as UTF-8 bytes.
    public var canonicalJSONBytes: [UInt8] {
        var out: [UInt8] = []
        CanonicalJSON.append(self, to: &out)
        return out
    }

    /// A short human-readable form: strings bare, everything else as canonical JSON.
    public var description: String {
        if case .string(let text) = self { return text }
        return canonicalJSON
    }

    /// The value as a string, if it is one.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value as a number, if it is an integer or a double.
    public var numberValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// The value as a whole number, if it is one (a double with no fraction counts).
    public var intValue: Int64? {
        switch self {
        case .int(let value): value
        case .double(let value) where value.rounded() == value && abs(value) < 9.2e18: Int64(value)
        default: nil
        }
    }

    /// Whether two values are equal: what their canonical JSON compares as (numbers by value, so `1`
    /// equals `1.0`; maps regardless of key order; non-finite numbers as `null`), without encoding.
    public static func == (lhs: ParamValue, rhs: ParamValue) -> Bool {
        switch (lhs.normalized, rhs.normalized) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b && b.magnitude < 9.2e18
        case (.double(let a), .double(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }

    /// Hashes consistently with ``==(_:_:)``.
    public func hash(into hasher: inout Hasher) {
        switch normalized {
        case .null: hasher.combine(0)
        case .bool(let flag): hasher.combine(flag)
        case .string(let text): hasher.combine(text)
        case .int(let number): hasher.combine(Double(number))
        case .double(let number): hasher.combine(number)
        case .array(let items): hasher.combine(items)
        case .object(let members): hasher.combine(members)
        }
    }

    /// Non-finite doubles become `null`, as in their JSON form.
    private var normalized: ParamValue {
        if case .double(let number) = self, !number.isFinite { return .null }
        return self
    }
}
