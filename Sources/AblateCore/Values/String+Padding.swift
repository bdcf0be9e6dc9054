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
