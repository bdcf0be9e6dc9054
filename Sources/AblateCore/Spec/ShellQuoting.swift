/// POSIX shell quoting for values substituted into `run:` commands.
public enum ShellQuoting {
    /// Quotes `text` so that `/bin/sh` reads it back verbatim as one word.
    ///
    /// Words made only of `[A-Za-z0-9_@%+=:,./-]` stay bare for readability; everything else is put in
    /// single quotes, with each `'` written as `'\''`. Nothing inside single quotes is expanded.
    public static func quote(_ text: String) -> String {
        if !text.isEmpty, text.unicodeScalars.allSatisfy(isSafe) {
            return text
        }
        return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    /// Writes `text` so that, standing in `context`, the shell reads it back verbatim.
    ///
    /// Contexts with a ``ShellContext/refusal`` never reach this (the spec is refused at plan); they get
    /// the plain quoting, and so does ``ShellContext/arithmetic``, where only whole numbers arrive (bare).
    public static func quote(_ text: String, in context: ShellContext) -> String {
        switch context {
        case .singleQuoted:
            text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''")
        case .doubleQuoted:
            "\"" + quote(text) + "\""
        case .plain, .backticks, .parameterExpansion, .arithmetic, .comment, .hereDocument, .ansiCQuoted,
            .doubleBracket, .unfollowable:
            quote(text)
        }
    }

    /// The text a value contributes to a command: strings as they are, `null` as nothing, anything
    /// else as canonical JSON.
    public static func text(of value: ParamValue) -> String {
        switch value {
        case .string(let text): text
        case .null: ""
        default: value.canonicalJSON
        }
    }

    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        case "_", "@", "%", "+", "=", ":", ",", ".", "/", "-": true
        default: false
        }
    }
}
