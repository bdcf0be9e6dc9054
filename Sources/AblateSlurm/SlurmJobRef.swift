/// A submitted Slurm job or array task: `123` or `123_4`.
public struct SlurmJobRef: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The job ID (the array's job ID for a task).
    public var jobID: String
    /// The array task index, for a task.
    public var task: Int?

    /// A reference to `jobID`, or to task `task` of array `jobID`.
    public init(jobID: String, task: Int? = nil) {
        self.jobID = jobID
        self.task = task
    }

    /// Parses `123` or `123_4`; `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy(\.isNumber) else { return nil }
        jobID = String(parts[0])
        if parts.count == 2 {
            guard let index = Int(parts[1]), index >= 0 else { return nil }
            task = index
        }
    }

    /// `123` or `123_4`.
    public var description: String { task.map { "\(jobID)_\($0)" } ?? jobID }

    /// Orders references by job ID, then task index, for stable listings.
    public static func < (lhs: SlurmJobRef, rhs: SlurmJobRef) -> Bool {
        (Int(lhs.jobID) ?? 0, lhs.task ?? -1) < (Int(rhs.jobID) ?? 0, rhs.task ?? -1)
    }
}
