/// Groups the jobs of one stage that need the same resources into as few submissions as possible while
/// keeping every dependency exact. Pure.
///
/// - Jobs with the same set of upstream Slurm jobs (or none) become one array with `afterok:` on that
///   set: each task waits for exactly its own upstream jobs.
/// - Jobs that each wait for one task of the same upstream array(s), at one task index per job, become
///   an array whose task indices are those indices, with `aftercorr:`: task `i` waits for task `i` of
///   each upstream array and for nothing else. Jobs that share an upstream task go to separate arrays.
/// - The rest go out as single jobs with `afterok:` on their exact upstream jobs.
///
/// Arrays longer than the cluster's `MaxArraySize` are split; task indices stay below it.
public enum SlurmArrayPlanner {
    /// A job to submit, with the Slurm jobs it must wait for.
    public struct Item: Sendable, Hashable {
        /// The job key.
        public var key: String
        /// Its upstream jobs that are pending or running in Slurm (succeeded ones need no dependency).
        public var dependencies: [SlurmJobRef]

        /// Creates an item.
        public init(key: String, dependencies: [SlurmJobRef]) {
            self.key = key
            self.dependencies = dependencies
        }
    }

    /// How a submission waits for its upstream jobs.
    public enum Dependency: Sendable, Hashable {
        /// It does not.
        case none
        /// `afterok:` on each of these jobs or tasks.
        case afterOK([SlurmJobRef])
        /// `aftercorr:` on these arrays: task `i` waits for task `i` of each.
        case afterCorresponding([String])

        /// The `--dependency=` value, or `nil`.
        public var option: String? {
            switch self {
            case .none: nil
            case .afterOK(let refs): "afterok:" + refs.map(\.description).joined(separator: ":")
            case .afterCorresponding(let arrays): "aftercorr:" + arrays.joined(separator: ":")
            }
        }
    }

    /// One submission: a single job (`index == nil`) or an array of tasks with these indices.
    public struct Group: Sendable, Hashable {
        /// The jobs and their array task indices (`nil` for a single job).
        public var tasks: [Task]
        /// How it waits for upstream jobs.
        public var dependency: Dependency

        /// A job of the group.
        public struct Task: Sendable, Hashable {
            /// The job key.
            public var key: String
            /// The array task index, or `nil` for a single job.
            public var index: Int?
        }

        /// Whether this is a job array.
        public var isArray: Bool { tasks.first?.index != nil }
    }

    /// Plans the submissions for `items` (one stage, equal resources), in a stable order.
    ///
    /// - Parameters:
    ///   - maxArraySize: The cluster's `MaxArraySize` (indices must stay below it).
    ///   - arrays: `false` submits every job on its own (for comparison and for clusters without arrays).
    public static func plan(_ items: [Item], maxArraySize: Int, arrays: Bool = true) -> [Group] {
        guard arrays, maxArraySize > 1 else {
            return items.map { single($0) }
        }
        var groups: [Group] = []
        var leftovers: [Item] = []
        // Same upstream set (or none): one array with afterok on the set.
        var bySet: [[SlurmJobRef]: [Item]] = [:]
        var setOrder: [[SlurmJobRef]] = []
        for item in items {
            let set = Array(Set(item.dependencies)).sorted()
            if bySet[set] == nil { setOrder.append(set) }
            bySet[set, default: []].append(item)
        }
        for set in setOrder {
            let members = bySet[set]!
            guard members.count > 1 || set.isEmpty else {
                leftovers.append(contentsOf: members)
                continue
            }
            let dependency: Dependency = set.isEmpty ? .none : .afterOK(set)
            for start in stride(from: 0, to: members.count, by: maxArraySize) {
                let chunk = members[start..<min(members.count, start + maxArraySize)]
                if chunk.count == 1 {
                    groups.append(Group(tasks: [.init(key: chunk.first!.key, index: nil)], dependency: dependency))
                } else {
                    groups.append(
                        Group(
                            tasks: chunk.enumerated().map { .init(key: $0.element.key, index: $0.offset) },
                            dependency: dependency))
                }
            }
        }
        // One task index across one or more upstream arrays: aftercorr.
        var byArrays: [[String]: [[(item: Item, index: Int)]]] = [:]
        var arraysOrder: [[String]] = []
        for item in leftovers {
            guard let index = item.dependencies.first?.task,
                item.dependencies.allSatisfy({ $0.task == index }), index < maxArraySize
            else {
                groups.append(single(item))
                continue
            }
            let arrays = Array(Set(item.dependencies.map(\.jobID))).sorted()
            guard arrays.count == item.dependencies.count else {
                groups.append(single(item))
                continue
            }
            if byArrays[arrays] == nil {
                byArrays[arrays] = []
                arraysOrder.append(arrays)
            }
            var buckets = byArrays[arrays]!
            if let free = buckets.firstIndex(where: { bucket in !bucket.contains { $0.index == index } }) {
                buckets[free].append((item, index))
            } else {
                buckets.append([(item, index)])
            }
            byArrays[arrays] = buckets
        }
        for arrays in arraysOrder {
            for bucket in byArrays[arrays]! {
                if bucket.count == 1 {
                    groups.append(single(bucket[0].item))
                } else {
                    groups.append(
                        Group(
                            tasks: bucket.map { .init(key: $0.item.key, index: $0.index) },
                            dependency: .afterCorresponding(arrays)))
                }
            }
        }
        return groups
    }

    private static func single(_ item: Item) -> Group {
        let set = Array(Set(item.dependencies)).sorted()
        return Group(tasks: [.init(key: item.key, index: nil)], dependency: set.isEmpty ? .none : .afterOK(set))
    }

    /// `0,1,2,5,7,8` → `0-2,5,7-8`.
    public static func indexList(_ indices: [Int]) -> String {
        var parts: [String] = []
        var sorted = indices.sorted()[...]
        while let first = sorted.popFirst() {
            var last = first
            while sorted.first == last + 1 { last = sorted.removeFirst() }
            parts.append(first == last ? "\(first)" : "\(first)-\(last)")
        }
        return parts.joined(separator: ",")
    }
}
