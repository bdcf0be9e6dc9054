/// Fixed-width text for the command line's columns (status lines, plan listings, tables).
extension String {
    /// The string padded with spaces on the right to `width` characters.
    public func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// The string cut to `limit` characters, ending in an ellipsis when cut.
    public func abbreviated(_ limit: Int) -> String {
        count <= limit ? self : String(prefix(limit - 1)) + "…"
    }
}

extension BinaryInteger {
    /// The number with commas between groups of three digits (`20,000,000`), the same in every locale.
    public var grouped: String {
        let digits = String(self.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (self < 0 ? "-" : "") + out
    }
}
