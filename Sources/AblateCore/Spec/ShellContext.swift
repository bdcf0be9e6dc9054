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
    /// Inside `$((...))` or bash's `((...))`, where the shell expands `$(...)` even inside quotes: only a
    /// parameter whose every value is a whole number may stand here (checked at expansion), written bare.
    case arithmetic
    /// Inside a comment, which a newline in the value would end: refused.
    case comment
    /// Inside a here-document's body or its delimiter, where quotes do not quote: refused.
    case hereDocument
    /// Inside bash's `$'...'`, where backslashes are escapes: refused.
    case ansiCQuoted
    /// Inside bash's `[[ ... ]]`, where `-eq` and its kin evaluate operands as arithmetic: refused.
    case doubleBracket
    /// After shell syntax whose quoting Ablate does not follow (a `case` inside `$(...)`, quotes inside
    /// `${...}`): refused, since the placeholder's true context is not certain.
    case unfollowable

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
        case .ansiCQuoted:
            "it stands inside $'...', where backslashes are escapes; use '...' or \"...\" around it"
        case .doubleBracket:
            "it stands inside [[ ... ]], where bash evaluates -eq operands as arithmetic; use [ ... ] instead"
        case .unfollowable:
            "it follows shell syntax whose quoting Ablate does not follow (a 'case' inside $(...), or quotes inside ${...}); "
                + "assign the value to a variable before that syntax (X={params.NAME}) and use \"$X\""
        }
    }
}

/// Follows `/bin/sh`'s quoting through the literal text of a command: which context each position is
/// in. Enough of POSIX shell lexing to place placeholders — quotes, backslashes, `$(...)`, `$((...))`,
/// `${...}`, backticks, comments and here-documents — and of bash's (`$'...'`, `((...))`, `[[ ... ]]`),
/// since `/bin/sh` is bash on some clusters. Where it cannot be sure, it says so (``ShellContext/unfollowable``).
struct ShellScanner {
    private enum Frame: Equatable {
        case single, double, backtick, ansiC, doubleBracket
        case parameter(depth: Int)
        case arithmetic(depth: Int)
        case subshell(depth: Int)
    }

    private struct HereDocument: Equatable {
        var delimiter: String
        var stripsTabs: Bool
    }

    private var stack: [Frame] = []
    private var escaped = false
    private var inComment = false
    /// Whether the scanner lost certainty about the quoting (then every later placeholder is refused).
    private var lost = false
    private var previous: Unicode.Scalar?
    /// The word being read in plain context (to see `case`, `[[` and `]]`).
    private var word = ""
    /// Whether the current position starts a command (after `;`, `&`, `|`, `(`, a newline, or at the start).
    private var atCommandStart = true
    /// Here-documents announced on the current line.
    private var pendingHereDocuments: [HereDocument] = []
    /// The here-document whose body is being read, and the current body line.
    private var hereDocument: HereDocument?
    private var hereLine = ""
    /// The delimiter word after `<<` while it is read (`nil` when none is), and whether it was `<<-`.
    private var readingDelimiter: String?
    private var delimiterStripsTabs = false

    /// The context at the current position.
    var context: ShellContext {
        if hereDocument != nil || readingDelimiter != nil { return .hereDocument }
        if inComment { return .comment }
        if lost { return .unfollowable }
        switch stack.last {
        case nil, .subshell?: return .plain
        case .single?: return .singleQuoted
        case .double?: return .doubleQuoted
        case .backtick?: return .backticks
        case .parameter?: return .parameterExpansion
        case .arithmetic?: return .arithmetic
        case .ansiC?: return .ansiCQuoted
        case .doubleBracket?: return .doubleBracket
        }
    }

    /// Whether a quote, substitution or here-document is still open at the end of the command.
    var unterminated: String? {
        if let document = hereDocument {
            let line = document.stripsTabs ? String(hereLine.drop { $0 == "\t" }) : hereLine
            if line != document.delimiter || !pendingHereDocuments.isEmpty { return "a here-document has no end line" }
        } else if !pendingHereDocuments.isEmpty || readingDelimiter != nil {
            return "a here-document has no end line"
        }
        switch stack.last {
        case .single?, .ansiC?: return "a ' quote is not closed"
        case .double?: return "a \" quote is not closed"
        case .backtick?: return "a ` is not closed"
        case .parameter?, .arithmetic?, .subshell?: return "a $(, $(( or ${ is not closed"
        case .doubleBracket?: return "a [[ is not closed"
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
        word += "\u{0}"
        atCommandStart = false
        if readingDelimiter != nil { readingDelimiter! += "\u{0}" }
        if hereDocument != nil { hereLine += "\u{0}" }
    }

    /// Consumes `scalar` (and maybe `next` and `after`); returns how many scalars it used.
    private mutating func step(_ scalar: Unicode.Scalar, next: Unicode.Scalar?, after: Unicode.Scalar?) -> Int {
        var recorded = scalar
        defer { previous = recorded }
        if let document = hereDocument {
            if scalar == "\n" {
                let line = document.stripsTabs ? String(hereLine.drop { $0 == "\t" }) : hereLine
                if line == document.delimiter { startNextHereDocument() }
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
        if let delimiter = readingDelimiter {
            if delimiter.isEmpty, scalar == "<" {
                readingDelimiter = nil  // `<<<`: a here-string, not a here-document
                return 1
            }
            if delimiter.isEmpty, scalar == "-", !delimiterStripsTabs {
                delimiterStripsTabs = true
                return 1
            }
            if delimiter.isEmpty, scalar == " " || scalar == "\t" { return 1 }
            if scalar == "'" || scalar == "\"" || scalar == "\\" { return 1 }
            if [" ", "\t", "\n", ";", "&", "|", ")", "<", ">"].contains(scalar) {
                pendingHereDocuments.append(HereDocument(delimiter: delimiter, stripsTabs: delimiterStripsTabs))
                readingDelimiter = nil
                // The terminator itself is handled below.
            } else {
                readingDelimiter = delimiter + String(scalar)
                return 1
            }
        }
        if escaped {
            escaped = false
            // An escaped character is part of a word: a `#` after it does not start a comment.
            recorded = "x"
            if case .subshell? = stack.last {
                word.unicodeScalars.append(scalar)
            } else if stack.isEmpty {
                word.unicodeScalars.append(scalar)
            }
            return 1
        }
        switch stack.last {
        case .single?:
            if scalar == "'" { stack.removeLast() }
            return 1
        case .ansiC?:
            if scalar == "\\" {
                escaped = true
            } else if scalar == "'" {
                stack.removeLast()
            }
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
            case "$": return dollar(next, after, inDoubleQuotes: true)
            default: break
            }
            return 1
        case .parameter(let depth)?:
            switch scalar {
            case "'", "\"", "\\", "`":
                // Quotes inside ${...} follow rules that differ between shells: stop trusting the scan.
                lost = true
            case "{": stack[stack.count - 1] = .parameter(depth: depth + 1)
            case "}":
                if depth == 0 { stack.removeLast() } else { stack[stack.count - 1] = .parameter(depth: depth - 1) }
            default: break
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
        case .doubleBracket?:
            if scalar == "]", next == "]" {
                stack.removeLast()
                return 2
            }
            return plain(scalar, next: next, after: after)
        case nil, .subshell?:
            return plain(scalar, next: next, after: after)
        }
    }

    private mutating func plain(_ scalar: Unicode.Scalar, next: Unicode.Scalar?, after: Unicode.Scalar?) -> Int {
        let startsCommand = atCommandStart
        let isWordCharacter = !" \t\n;&|()<>'\"`$\\#".unicodeScalars.contains(scalar)
        if isWordCharacter {
            word.unicodeScalars.append(scalar)
            atCommandStart = false
        } else {
            endWord()
        }
        switch scalar {
        case "\\": escaped = true
        case "'": stack.append(.single)
        case "\"": stack.append(.double)
        case "`": stack.append(.backtick)
        case "$": return dollar(next, after, inDoubleQuotes: false)
        case "(":
            if startsCommand, next == "(" {
                // bash's `((...))`: arithmetic.
                stack.append(.arithmetic(depth: 0))
                return 2
            }
            if case .subshell(let depth)? = stack.last { stack[stack.count - 1] = .subshell(depth: depth + 1) }
            atCommandStart = true
        case ")":
            if case .subshell(let depth)? = stack.last {
                if depth == 0 { stack.removeLast() } else { stack[stack.count - 1] = .subshell(depth: depth - 1) }
            }
        case "[":
            if startsCommand, next == "[", after == " " || after == "\t" {
                stack.append(.doubleBracket)
                return 2
            }
        case "#":
            if previous == nil || [" ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">"].contains(previous!) {
                inComment = true
            }
        case "<":
            if next == "<" {
                readingDelimiter = ""
                delimiterStripsTabs = false
                return 2
            }
        case "\n":
            atCommandStart = true
            endLine()
        case ";", "&", "|":
            atCommandStart = true
        default: break
        }
        return 1
    }

    /// Words after which a command starts (so that `if [[` and `while ((` are seen).
    private static let commandPrefixes: Set<String> = [
        "if", "then", "elif", "else", "do", "while", "until", "!", "{", "time",
    ]

    /// A plain word ended: `case` inside `$(...)` makes its `)`s ambiguous.
    private mutating func endWord() {
        if word == "case", stack.contains(where: { if case .subshell = $0 { true } else { false } }) {
            lost = true
        }
        if Self.commandPrefixes.contains(word) { atCommandStart = true }
        word = ""
    }

    /// `$(`, `$((`, `${` or bash's `$'`; a lone `$` is literal text or a variable.
    private mutating func dollar(_ next: Unicode.Scalar?, _ after: Unicode.Scalar?, inDoubleQuotes: Bool) -> Int {
        atCommandStart = false
        switch next {
        case "(" where after == "(":
            stack.append(.arithmetic(depth: 0))
            return 3
        case "(":
            stack.append(.subshell(depth: 0))
            atCommandStart = true
            return 2
        case "{":
            stack.append(.parameter(depth: 0))
            return 2
        case "'" where !inDoubleQuotes:
            stack.append(.ansiC)
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
        hereDocument = pendingHereDocuments.isEmpty ? nil : pendingHereDocuments.removeFirst()
        hereLine = ""
    }
}
