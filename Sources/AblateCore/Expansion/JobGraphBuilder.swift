import Dispatch

/// Builds the per-stage job tables of a sweep: deduplicates the jobs that runs share and hashes each
/// distinct job once.
struct JobGraphBuilder {
    let spec: SweepSpec
    let table: ValueTable
    let points: [UInt32]
    let runCount: Int

    /// Stages in dependency order: a stage comes after all of its `after` stages, otherwise in the
    /// order written.
    static func topologicalOrder(_ stages: [Stage]) -> [Int] {
        var order: [Int] = []
        var placed = Set<String>()
        var remaining = Array(stages.indices)
        while !remaining.isEmpty {
            guard let next = remaining.firstIndex(where: { stages[$0].afterNames.allSatisfy(placed.contains) }) else {
                preconditionFailure("stage graph has a cycle; SpecChecker rejects such specs")
            }
            let stage = remaining.remove(at: next)
            order.append(stage)
            placed.insert(stages[stage].name)
        }
        return order
    }

    func build() -> [StagePlan] {
        let order = Self.topologicalOrder(spec.stages)
        var plans: [StagePlan] = []
        let width = table.names.count
        for stageIndex in order {
            let stage = spec.stages[stageIndex]
            let usesParams = stage.useNames
                .sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
                .map { table.indexOfName[$0]! }
            let upstream = stage.afterNames
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                .map { name in plans.firstIndex { $0.name == name }! }
            let tupleWidth = usesParams.count + upstream.count
            var interner = TupleInterner(width: tupleWidth, expectedCount: min(runCount, 1 << 20))
            var jobOfRun = [UInt32](repeating: 0, count: runCount)
            var tuple = [UInt32](repeating: 0, count: tupleWidth)
            let upstreamJobs = upstream.map { plans[$0].jobOfRun }
            tuple.withUnsafeMutableBufferPointer { buffer in
                points.withUnsafeBufferPointer { rows in
                    for run in 0..<runCount {
                        for (k, param) in usesParams.enumerated() { buffer[k] = rows[run * width + param] }
                        for (k, jobs) in upstreamJobs.enumerated() { buffer[usesParams.count + k] = jobs[run] }
                        jobOfRun[run] = interner.intern(UnsafeBufferPointer(buffer))
                    }
                }
            }
            let keys = hashJobs(
                stage: stage, usesParams: usesParams, upstream: upstream.map { plans[$0] }, interner: interner)
            plans.append(
                StagePlan(
                    stage: stage, index: plans.count, usesParams: usesParams, upstreamStages: upstream,
                    tuples: interner.storage, keys: keys, jobOfRun: jobOfRun))
        }
        return plans
    }

    /// Hashes every distinct job of a stage, splitting the work across the machine's cores.
    private func hashJobs(stage: Stage, usesParams: [Int], upstream: [StagePlan], interner: TupleInterner) -> [Digest] {
        let hasher = JobKeyHasher(stageName: stage.name, template: stage.run.text, code: stage.codeIdentity)
        let count = interner.count
        let fragments = usesParams.map { table.fragments[$0] }
        let upstreamNames = upstream.map { Array($0.name.utf8) }
        let upstreamKeys = upstream.map(\.keys)
        let storage = interner.storage
        let width = interner.width
        let placeholder = Digest(state: (0, 0, 0, 0, 0, 0, 0, 0))
        var keys = [Digest](repeating: placeholder, count: count)
        let chunkCount = count < 4096 ? 1 : min(64, count / 2048)
        keys.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let output = output
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                let start = count * chunk / chunkCount
                let end = count * (chunk + 1) / chunkCount
                var body: [UInt8] = []
                body.reserveCapacity(256)
                for job in start..<end {
                    body.removeAll(keepingCapacity: true)
                    body.append(UInt8(ascii: "{"))
                    for (k, values) in fragments.enumerated() {
                        if k > 0 { body.append(UInt8(ascii: ",")) }
                        body.append(contentsOf: values[Int(storage[job * width + k])])
                    }
                    body.append(UInt8(ascii: "}"))
                    body.append(UInt8(ascii: "\n"))
                    for (k, name) in upstreamNames.enumerated() {
                        let upstreamJob = Int(storage[job * width + fragments.count + k])
                        JobKeyHasher.appendUpstream(stage: name, key: upstreamKeys[k][upstreamJob], to: &body)
                    }
                    output[job] = hasher.key(body: body)
                }
            }
        }
        return keys
    }
}
