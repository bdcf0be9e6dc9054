import Yams

/// YAML 1.2 core-schema scalar resolution, so that `on`, `no` and `1:30` stay strings, as most YAML
/// readers today (and PyYAML users' expectations of JSON-like values) have it.
enum YAMLScalars {
    static let resolver: Resolver = {
        // Patterns are constants checked by the unit tests; a failure here is a programming error.
        try! Resolver.basic
            .appending(.bool, "^(?:true|True|TRUE|false|False|FALSE)$")
            .appending(.int, "^(?:[-+]?(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|0o[0-7_]+)$")
            .appending(
                .float,
                "^(?:[-+]?(?:\\.[0-9]+|[0-9][0-9_]*(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"
            )
            .appending(.null, "^(?:~|null|Null|NULL|)$")
    }()

    /// Converts a resolved scalar to a parameter value.
    static func value(of scalar: Node.Scalar) -> ParamValue {
        let text = scalar.string
        switch resolver.resolveTag(of: .scalar(scalar)) {
        case .null:
            return .null
        case .bool:
            return .bool(text.lowercased() == "true")
        case .int:
            let digits = text.replacingUnderscores()
            if digits.hasPrefix("0x"), let value = Int64(digits.dropFirst(2), radix: 16) { return .int(value) }
            if digits.hasPrefix("0o"), let value = Int64(digits.dropFirst(2), radix: 8) { return .int(value) }
            if let value = Int64(digits) { return .int(value) }
            if let value = Double(digits) { return .double(value) }
            return .string(text)
        case .float:
            switch text.lowercased() {
            case ".inf", "+.inf": return .double(.infinity)
            case "-.inf": return .double(-.infinity)
            case ".nan": return .double(.nan)
            default: return Double(text.replacingUnderscores()).map(ParamValue.double) ?? .string(text)
            }
        default:
            return .string(text)
        }
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
