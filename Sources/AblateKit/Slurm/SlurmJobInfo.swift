import Foundation

/// One job (or array task) as the Slurm controller reports it in `scontrol -o show job`.
public struct SlurmJobInfo: Sendable, Equatable {
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
    /// The batch script's exit code and signal (`ExitCode=3:0`).
    public var exit: (code: Int32, signal: Int32)?
    /// The job's comment (Ablate puts its submission token there).
    public var comment: String?

    /// Creates a record.
    public init(
        id: String, arrayJobID: String, arrayTaskID: Int? = nil, name: String = "", state: String,
        reason: String = "None", restarts: Int = 0, exit: (code: Int32, signal: Int32)? = nil, comment: String? = nil
    ) {
        self.id = id
        self.arrayJobID = arrayJobID
        self.arrayTaskID = arrayTaskID
        self.name = name
        self.state = state
        self.reason = reason
        self.restarts = restarts
        self.exit = exit
        self.comment = comment
    }

    public static func == (lhs: SlurmJobInfo, rhs: SlurmJobInfo) -> Bool {
        lhs.id == rhs.id && lhs.arrayJobID == rhs.arrayJobID && lhs.arrayTaskID == rhs.arrayTaskID
            && lhs.name == rhs.name && lhs.state == rhs.state && lhs.reason == rhs.reason
            && lhs.restarts == rhs.restarts && lhs.exit?.code == rhs.exit?.code && lhs.exit?.signal == rhs.exit?.signal
            && lhs.comment == rhs.comment
    }

    /// Parses the output of `scontrol -o show job` (one job per line, `Key=Value` fields). The pending
    /// rest of an array (`ArrayTaskId=3-9%2`) becomes one record per task.
    public static func parse(_ output: String) -> [SlurmJobInfo] {
        var jobs: [SlurmJobInfo] = []
        for line in output.split(separator: "\n") {
            let fields = fields(of: line)
            guard let jobID = fields["JobId"], let state = fields["JobState"] else { continue }
            let arrayJobID = fields["ArrayJobId"] ?? jobID
            var info = SlurmJobInfo(
                id: jobID, arrayJobID: arrayJobID, name: fields["JobName"] ?? "", state: state,
                reason: fields["Reason"] ?? "None", restarts: Int(fields["Restarts"] ?? "") ?? 0,
                comment: fields["Comment"].flatMap { $0 == "(null)" ? nil : $0 })
            if let exit = fields["ExitCode"]?.split(separator: ":"), exit.count == 2, let code = Int32(exit[0]),
                let signal = Int32(exit[1])
            {
                info.exit = (code, signal)
            }
            // An array whose pending tasks were all cancelled before any started keeps one record with
            // `ArrayTaskId=4294967294` (NO_VAL): it stands for every task not listed on its own.
            guard let tasks = fields["ArrayTaskId"], tasks != Self.noValue else {
                info.id = arrayJobID
                jobs.append(info)
                continue
            }
            for task in indices(tasks) {
                var taskInfo = info
                taskInfo.arrayTaskID = task
                taskInfo.id = "\(arrayJobID)_\(task)"
                jobs.append(taskInfo)
            }
        }
        return jobs
    }

    /// Slurm's NO_VAL, as `scontrol` prints it.
    static let noValue = "4294967294"

    /// `0-4:2,7%3` → 0, 2, 4, 7.
    static func indices(_ expression: String) -> [Int] {
        let list = expression.split(separator: "%").first.map(String.init) ?? expression
        var result: [Int] = []
        for part in list.split(separator: ",") {
            let stepParts = part.split(separator: ":")
            let step = stepParts.count == 2 ? max(1, Int(stepParts[1]) ?? 1) : 1
            let bounds = stepParts[0].split(separator: "-").compactMap { Int($0) }
            if bounds.count == 1 {
                result.append(bounds[0])
            } else if bounds.count == 2, bounds[0] <= bounds[1] {
                result.append(contentsOf: stride(from: bounds[0], through: bounds[1], by: step))
            }
        }
        return result
    }

    /// Splits a line into fields: a field starts at a space-separated word of the form `Key=`, and a
    /// word without that form (a value with spaces) continues the previous field.
    static func fields(of line: Substring) -> [String: String] {
        var fields: [String: String] = [:]
        var currentKey: String?
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if let equals = word.firstIndex(of: "="), isKey(word[..<equals]) {
                let key = String(word[..<equals])
                fields[key] = String(word[word.index(after: equals)...])
                currentKey = key
            } else if let key = currentKey, !word.isEmpty {
                fields[key, default: ""] += " " + word
            }
        }
        return fields
    }

    private static func isKey(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == ":" || $0 == "/" || $0 == "_" }
    }
}
