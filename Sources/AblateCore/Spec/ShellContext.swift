/// Where a placeholder stands in a `run:` command, as `/bin/sh` reads it; it decides how a value is
/// substituted so that it arrives verbatim, or whether it can be substituted at all.
public enum ShellContext: Sendable, Hashable {
    /// Outside quotes (at the top or inside `$(...)`): the value is single-quoted.
    case plain
    /// Inside `'...'`: each `'` of the value is written `'\''`.
    case singleQuoted
    /// Inside `"..."`: the double quotes are closed, the value single-quoted, and the quotes reopened.
    case doubleQuoted
    /// Inside backticks, where backslashes are processed once more: refused (use `$(...)`).
    case backticks
    /// Inside `${...}`: refused (assign the value to a variable first).
    case parameterExpansion
    /// Inside `$((...))`, where the shell expands `$(...)` even inside quotes: only a parameter whose
    /// every value is a whole number may stand here (checked at expansion), and it is written bare.
    case arithmetic
    /// Inside a comment, which a newline in the value would end: refused.
    case comment
    /// Inside a here-document's body, where quotes are not quoting: refused.
    case hereDocument

    /// Why a placeholder cannot stand here, and how to write it instead; `nil` where it can.
    public var refusal: String? {
        switch self {
        case .plain, .singleQuoted, .doubleQuoted, .arithmetic: nil
        case .backticks:
            "it stands inside backticks, where the shell processes backslashes again; write $(...) instead of `...`"
        case .parameterExpansion:
            "it stands inside ${...}; assign it to a variable first (X={params.NAME}; ... ${OTHER:-$X})"
        case .comment:
            "it stands in a shell comment, which a newline in the value would end; move it out of the comment"
        case .hereDocument:
            "it stands in a here-document, where quotes do not quote; pass it as an argument or read it from {config}"
        }
    }
}

/// Follows `/bin/sh`'s quoting through the literal text of a command: which context each position is
/// in. Enough of POSIX shell lexing to place placeholders: quotes, backslashes, `$(...)`, `$((...))`,
/// `${...}`, backticks, comments and here-documents.
struct ShellScanner {
    private enum Frame: Equatable {
        case single, double, backtick, parameter(depth: Int), arithmetic(depth: Int), subshell(depth: Int)
    }

    private var stack: [Frame] = []
    private var escaped = false
    private var inComment = false
    private var previous: Unicode.Scalar?
    /// Here-documents announced on the current line: their delimiters.
    private var pendingHereDocuments: [String] = []
    /// The delimiter of the here-document whose body is being read, and the current body line.
    private var hereDocument: String?
    private var hereLine = ""
    /// Characters after `<<` while its delimiter word is read.
    private var readingDelimiter: String?

    /// The context at the current position.
    var context: ShellContext {
        if hereDocument != nil { return .hereDocument }
        if inComment { return .comment }
        switch stack.last {
        case nil, .subshell?: return .plain
        case .single?: return .singleQuoted
        case .double?: return .doubleQuoted
        case .backtick?: return .backticks
        case .parameter?: return .parameterExpansion
        case .arithmetic?: return .arithmetic
        }
    }

    /// Whether a quote, substitution or here-document is still open at the end of the command.
    var unterminated: String? {
        if let delimiter = hereDocument {
            let line = String(hereLine.drop { $0 == "\t" })
            if line != delimiter || !pendingHereDocuments.isEmpty { return "a here-document has no end line" }
        } else if !pendingHereDocuments.isEmpty || readingDelimiter != nil {
            return "a here-document has no end line"
        }
        switch stack.last {
        case .single?: return "a ' quote is not closed"
        case .double?: return "a \" quote is not closed"
        case .backtick?: return "a ` is not closed"
        case .parameter?, .arithmetic?, .subshell?: return "a $(, $(( or ${ is not closed"
        case nil: return nil
        }
    }

    /// Reads the literal text `text`.
    mutating func feed(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            let after = index + 2 < scalars.count ? scalars[index + 2] : nil
            index += step(scalar, next: next, after: after)
        }
    }

    /// A placeholder's value was inserted here: it is one word-part, not a delimiter.
    mutating func placeholder() {
        previous = "x"
        if readingDelimiter != nil { readingDelimiter! += "x" }
        if hereDocument != nil { hereLine += "\u{0}" }
    }

    /// Consumes `scalar` (and maybe `next`); returns how many scalars it used.
    private mutating func step(_ scalar: Unicode.Scalar, next: Unicode.Scalar?, after: Unicode.Scalar?) -> Int {
        defer { previous = scalar }
        if let delimiter = hereDocument {
            if scalar == "\n" {
                let line = hereLine.hasPrefix("\t") ? String(hereLine.drop { $0 == "\t" }) : hereLine
                if line == delimiter || hereLine == delimiter { startNextHereDocument() }
                hereLine = ""
            } else {
                hereLine.unicodeScalars.append(scalar)
            }
            return 1
        }
        if inComment {
            if scalar == "\n" { endLine() }
            return 1
        }
        if let word = readingDelimiter {
            if word.isEmpty, scalar == "<" {
                readingDelimiter = nil  // `<<<`: a here-string, not a here-document
                return 1
            }
            if word.isEmpty, scalar == " " || scalar == "\t" || scalar == "-" { return 1 }
            if scalar == "'" || scalar == "\"" || scalar == "\\" { return 1 }
            if scalar == "\n" || scalar == " " || scalar == "\t" || scalar == ";" || scalar == "&" || scalar == "|"
                || scalar == ")" || scalar == "<" || scalar == ">"
            {
                pendingHereDocuments.append(word)
                readingDelimiter = nil
                // fall through to handle the terminator itself
            } else {
                readingDelimiter = word + String(scalar)
                return 1
            }
        }
        if escaped {
            escaped = false
            return 1
        }
        switch stack.last {
        case .single?:
            if scalar == "'" { stack.removeLast() }
            return 1
        case .backtick?:
            if scalar == "\\" {
                escaped = true
            } else if scalar == "`" {
                stack.removeLast()
            }
            return 1
        case .double?:
            switch scalar {
            case "\\": escaped = true
            case "\"": stack.removeLast()
            case "`": stack.append(.backtick)
            case "$": return dollar(next, after)
            default: break
            }
            return 1
        case .parameter(let depth)?:
            if scalar == "{" {
                stack[stack.count - 1] = .parameter(depth: depth + 1)
            } else if scalar == "}" {
                if depth == 0 { stack.removeLast() } else { stack[stack.count - 1] = .parameter(depth: depth - 1) }
            }
            return 1
        case .arithmetic(let depth)?:
            if scalar == "(" {
                stack[stack.count - 1] = .arithmetic(depth: depth + 1)
            } else if scalar == ")" {
                if depth == 0, next == ")" {
                    stack.removeLast()
                    return 2
                }
                stack[stack.count - 1] = .arithmetic(depth: max(0, depth - 1))
            }
            return 1
        case nil, .subshell?:
            return plain(scalar, next: next, after: after)
        }
    }

    private mutating func plain(_ scalar: Unicode.Scalar, next: Unicode.Scalar?, after: Unicode.Scalar?) -> Int {
        switch scalar {
        case "\\": escaped = true
        case "'": stack.append(.single)
        case "\"": stack.append(.double)
        case "`": stack.append(.backtick)
        case "$": return dollar(next, after)
        case "(":
            if case .subshell(let depth)? = stack.last { stack[stack.count - 1] = .subshell(depth: depth + 1) }
        case ")":
            if case .subshell(let depth)? = stack.last {
                if depth == 0 { stack.removeLast() } else { stack[stack.count - 1] = .subshell(depth: depth - 1) }
            }
        case "#":
            if previous == nil || [" ", "\t", "\n", ";", "&", "|", "("].contains(previous!) { inComment = true }
        case "<":
            if next == "<" {
                readingDelimiter = ""
                return 2
            }
        case "\n":
            endLine()
        default: break
        }
        return 1
    }

    /// `$(`, `$((` or `${`; a lone `$` is literal text or a variable.
    private mutating func dollar(_ next: Unicode.Scalar?, _ after: Unicode.Scalar?) -> Int {
        switch next {
        case "(" where after == "(":
            stack.append(.arithmetic(depth: 0))
            return 3
        case "(":
            stack.append(.subshell(depth: 0))
            return 2
        case "{":
            stack.append(.parameter(depth: 0))
            return 2
        default:
            return 1
        }
    }

    private mutating func endLine() {
        inComment = false
        if stack.isEmpty || stack.last.map({ if case .subshell = $0 { true } else { false } }) == true {
            startNextHereDocument()
        }
    }

    private mutating func startNextHereDocument() {
        if pendingHereDocuments.isEmpty {
            hereDocument = nil
        } else {
            hereDocument = pendingHereDocuments.removeFirst()
        }
        hereLine = ""
    }
}
