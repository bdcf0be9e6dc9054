import AblateCore
import AblateExecution
import AblateStore
import Foundation

/// `ablate du`: the disk used by job directories (checkpoints, models, results, logs), grouped by stage,
/// sweep or job, with what references each. A job several runs or sweeps share is one directory: the
/// total counts it once; grouped by sweep, it counts in each sweep that needs it (the rows may add up to
/// more than the total, and say so).
public enum DiskUsage {
    /// How entries are grouped.
    public enum Grouping: String, Sendable, CaseIterable {
        case stage, sweep, job
    }

    /// One entry.
    public struct Entry: Sendable, Equatable {
        /// The stage, sweep or job key.
        public var name: String
        /// Bytes.
        public var bytes: UInt64
        /// Files.
        public var files: Int
        /// Job directories in it.
        public var jobs: Int
        /// The sweeps whose current runs use its jobs.
        public var sweeps: [String]
        /// For a job: its stage, state and how many current runs use it.
        public var detail: String?
    }

    /// The report.
    public struct Report: Sendable, Equatable {
        /// Every job directory once.
        public var bytes: UInt64
        /// Files, every job once.
        public var files: Int
        /// Job directories.
        public var jobs: Int
        /// The entries, largest first.
        public var entries: [Entry]
    }

    /// The usage of the jobs of `sweep` (or every sweep), or of one job, grouped by `grouping`.
    public static func report(
        store: ResultStore, sweep: String? = nil, job: String? = nil, by grouping: Grouping
    )
        throws -> Report
    {
        var rows = try store.sweepJobs(sweep: sweep)
        if let job { rows = rows.filter { $0.key == job } }
        var sweepsOfJob: [String: Set<String>] = [:]
        var first: [String: SweepJobRow] = [:]
        for row in rows {
            sweepsOfJob[row.key, default: []].insert(row.sweep)
            if first[row.key] == nil { first[row.key] = row }
        }
        let users = try store.runsUsing(jobKeys: Array(first.keys))
        var walker = DirectorySize()
        var sizes: [String: (bytes: UInt64, files: Int)] = [:]
        for (key, row) in first.sorted(by: { $0.key < $1.key }) {
            sizes[key] = row.outputDir.map { walker.size(of: $0) } ?? (0, 0)
        }
        var report = Report(bytes: 0, files: 0, jobs: first.count, entries: [])
        for size in sizes.values {
            report.bytes += size.bytes
            report.files += size.files
        }
        var groups: [String: Entry] = [:]
        for (key, row) in first {
            let size = sizes[key] ?? (0, 0)
            let names: [String]
            switch grouping {
            case .stage: names = [row.stage]
            case .sweep: names = sweepsOfJob[key].map { Array($0) } ?? []
            case .job: names = [key]
            }
            for name in names {
                var entry = groups[name] ?? Entry(name: name, bytes: 0, files: 0, jobs: 0, sweeps: [], detail: nil)
                entry.bytes += size.bytes
                entry.files += size.files
                entry.jobs += 1
                entry.sweeps = Array(Set(entry.sweeps).union(sweepsOfJob[key] ?? [])).sorted()
                if grouping == .job {
                    entry.detail = "\(row.stage), \(row.state.rawValue), used by \(users[key] ?? 0) run(s)"
                }
                groups[name] = entry
            }
        }
        report.entries = groups.values.sorted { ($0.bytes, $1.name) > ($1.bytes, $0.name) }
        return report
    }

    /// Bytes as `du -h` writes them: 1.5K, 20M, 3.2G (powers of 1024).
    public static func human(_ bytes: UInt64) -> String {
        var value = Double(bytes)
        for unit in ["B", "K", "M", "G", "T"] {
            if value < 1024 || unit == "T" {
                return unit == "B" ? "\(bytes)B" : String(format: value < 10 ? "%.1f" : "%.0f", value) + unit
            }
            value /= 1024
        }
        return "\(bytes)B"
    }
}
