/// What one ingestion of a job's `metrics.jsonl` added.
public struct IngestReport: Sendable, Equatable {
    /// A line that could not be read, with where it is.
    public struct MalformedLine: Sendable, Equatable, CustomStringConvertible {
        /// The file.
        public var file: String
        /// The 1-based line number.
        public var line: Int
        /// Why it was rejected.
        public var reason: String

        /// `FILE:LINE: REASON`.
        public var description: String { "\(file):\(line): malformed metrics line skipped: \(reason)" }
    }

    /// Complete lines consumed (malformed ones included).
    public var lines = 0
    /// Time-series points stored.
    public var points = 0
    /// Final values stored (from lines without `step`).
    public var finals = 0
    /// Bytes consumed; a partial last line is left for the next ingestion.
    public var bytes: Int64 = 0
    /// Lines skipped because they were not valid.
    public var malformed: [MalformedLine] = []
    /// What else a reader should know (a metrics file that was replaced while it was read, a collector's
    /// warnings).
    public var notices: [String] = []
    /// One line per collection made (`helmet:helmet: 98 values, 0 points`).
    public var collected: [String] = []

    /// Creates an empty report.
    public init() {}

    /// The warnings a user sees for this ingestion of `job` (a label such as `train 1a2b3c4d`): the
    /// first three malformed lines with where they are, how many more there were, and every notice.
    /// Every backend reports an ingestion with these lines, so none skips a bad line silently.
    public func warnings(job: String) -> [String] {
        var lines = malformed.prefix(3).map { "warning \($0)" }
        if malformed.count > 3 { lines.append("warning \(job): \(malformed.count - 3) more malformed metrics lines") }
        return collected.map { "collect \(job): \($0)" } + lines + notices.map { "warning \(job): \($0)" }
    }

    /// Adds another report's counts to this one.
    public mutating func add(_ other: IngestReport) {
        lines += other.lines
        points += other.points
        finals += other.finals
        bytes += other.bytes
        malformed += other.malformed
        notices += other.notices
        collected += other.collected
    }
}
