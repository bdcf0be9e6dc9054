import Foundation

/// One job (or array task) as the Slurm controller reports it (`squeue -t all --array`).
public struct SlurmJobInfo: Sendable, Hashable {
    /// The ID Ablate records and depends on: `123` for a plain job, `123_4` for task 4 of array 123.
    public var id: String
    /// The array's job ID (or the job's own ID when it is not an array task).
    public var arrayJobID: String
    /// The array task index, if this is an array task.
    public var arrayTaskID: Int?
    /// The job name.
    public var name: String
    /// The base state (`PENDING`, `RUNNING`, `COMPLETED`, `FAILED`, `TIMEOUT`, `CANCELLED`, ...).
    public var state: String
    /// Why it is in that state (`Dependency`, `Resources`, `NonZeroExitCode`, `DependencyNeverSatisfied`...).
    public var reason: String
    /// How many times the job was requeued.
    public var restarts: Int
    /// The job's comment (Ablate puts its submission token there).
    public var comment: String?

    /// Creates a record.
    public init(
        id: String, arrayJobID: String, arrayTaskID: Int? = nil, name: String = "", state: String,
        reason: String = "None", restarts: Int = 0, comment: String? = nil
    ) {
        self.id = id
        self.arrayJobID = arrayJobID
        self.arrayTaskID = arrayTaskID
        self.name = name
        self.state = state
        self.reason = reason
        self.restarts = restarts
        self.comment = comment
    }

    /// The `squeue -O` fields ``parse(_:)`` reads, in order, `|`-separated.
    public static let squeueFormat = "JobID:|,ArrayJobID:|,ArrayTaskID:|,State:|,Reason:|,RestartCnt:|,Comment:|,Name:"

    /// Parses `squeue -h -t all --array -O` output in ``squeueFormat``: one job or array task a line.
    public static func parse(_ output: String) -> [SlurmJobInfo] {
        var jobs: [SlurmJobInfo] = []
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "|", maxSplits: 7, omittingEmptySubsequences: false).map {
                String($0).trimmingCharacters(in: .whitespaces)
            }
            guard fields.count == 8, !fields[0].isEmpty, !fields[3].isEmpty else { continue }
            let arrayJobID = fields[1].isEmpty || fields[1] == "N/A" ? fields[0] : fields[1]
            let task = Int(fields[2])
            jobs.append(
                SlurmJobInfo(
                    id: task.map { "\(arrayJobID)_\($0)" } ?? fields[0], arrayJobID: arrayJobID, arrayTaskID: task,
                    name: fields[7], state: fields[3], reason: fields[4], restarts: Int(fields[5]) ?? 0,
                    comment: fields[6] == "(null)" || fields[6].isEmpty ? nil : fields[6]))
        }
        return jobs
    }
}
