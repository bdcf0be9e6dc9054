import Testing

@testable import AblateSlurm

@Suite struct SlurmArrayPlannerTests {
    typealias Item = SlurmArrayPlanner.Item

    func ref(_ text: String) -> SlurmJobRef { SlurmJobRef(text)! }

    @Test func jobsWithoutUpstreamBecomeOneArray() {
        let groups = SlurmArrayPlanner.plan(
            [Item(key: "a", dependencies: []), Item(key: "b", dependencies: [])], maxArraySize: 1001)
        #expect(groups.count == 1)
        #expect(groups[0].tasks.map(\.index) == [0, 1])
        #expect(groups[0].dependency == .none)
    }

    @Test func jobsSharingTheirUpstreamBecomeOneArrayWithAfterOK() {
        let groups = SlurmArrayPlanner.plan(
            [
                Item(key: "a", dependencies: [ref("7")]), Item(key: "b", dependencies: [ref("7")]),
                Item(key: "c", dependencies: [ref("8_1")]), Item(key: "d", dependencies: [ref("8_1")]),
            ], maxArraySize: 1001)
        #expect(groups.map(\.dependency.option) == ["afterok:7", "afterok:8_1"])
        #expect(groups.map { $0.tasks.map(\.key) } == [["a", "b"], ["c", "d"]])
    }

    @Test func oneTaskEachOfAnUpstreamArrayBecomesAfterCorrWithTheSameIndices() {
        let groups = SlurmArrayPlanner.plan(
            [
                Item(key: "a", dependencies: [ref("9_0")]), Item(key: "b", dependencies: [ref("9_3")]),
                Item(key: "c", dependencies: [ref("9_5")]),
            ], maxArraySize: 1001)
        #expect(groups.count == 1)
        #expect(groups[0].dependency.option == "aftercorr:9")
        #expect(groups[0].tasks.map(\.index) == [0, 3, 5])
    }

    @Test func sharedUpstreamTasksGroupBySetAndTheRestByIndex() {
        // Two SFT jobs per pretraining task, each with its own upstream set of one: x and y share 9_0.
        let groups = SlurmArrayPlanner.plan(
            [
                Item(key: "x", dependencies: [ref("9_0"), ref("5_0")]),
                Item(key: "z", dependencies: [ref("9_1"), ref("5_1")]),
                Item(key: "y", dependencies: [ref("9_0"), ref("5_0")]),
                Item(key: "w", dependencies: [ref("9_2")]),
            ], maxArraySize: 1001)
        // x and y share their whole upstream set: one afterok array. z and w are singletons.
        #expect(groups.map(\.dependency.option) == ["afterok:5_0:9_0", "afterok:5_1:9_1", "afterok:9_2"])
        #expect(groups.map { $0.tasks.map(\.key) } == [["x", "y"], ["z"], ["w"]])
        let split = SlurmArrayPlanner.plan(
            [
                Item(key: "p", dependencies: [ref("9_0")]), Item(key: "q", dependencies: [ref("9_1")]),
                Item(key: "r", dependencies: [ref("9_1"), ref("4_2")]),
            ], maxArraySize: 1001)
        #expect(split.map(\.dependency.option) == ["afterok:4_2:9_1", "aftercorr:9"])
        #expect(split[1].tasks.map(\.index) == [0, 1])
        #expect(split[1].tasks.map(\.key) == ["p", "q"])
    }

    @Test func mixedUpstreamsOrPlainJobsGetExactAfterOK() {
        let groups = SlurmArrayPlanner.plan(
            [Item(key: "a", dependencies: [ref("9_0"), ref("10_1")]), Item(key: "b", dependencies: [ref("11")])],
            maxArraySize: 1001)
        #expect(groups.map(\.dependency.option) == ["afterok:9_0:10_1", "afterok:11"])
        #expect(groups.allSatisfy { !$0.isArray })
    }

    @Test func arraysLongerThanMaxArraySizeAreSplit() {
        let items = (0..<2500).map { Item(key: "k\($0)", dependencies: []) }
        let groups = SlurmArrayPlanner.plan(items, maxArraySize: 1001)
        #expect(groups.map(\.tasks.count) == [1001, 1001, 498])
        #expect(groups.allSatisfy { $0.tasks.allSatisfy { ($0.index ?? 0) < 1001 } })
        #expect(Set(groups.flatMap { $0.tasks.map(\.key) }).count == 2500)
    }

    @Test func withoutArraysEveryJobIsItsOwnSubmission() {
        let groups = SlurmArrayPlanner.plan(
            [Item(key: "a", dependencies: [ref("3")]), Item(key: "b", dependencies: [ref("3")])], maxArraySize: 1001,
            arrays: false)
        #expect(groups.count == 2)
        #expect(groups.allSatisfy { !$0.isArray && $0.dependency.option == "afterok:3" })
    }

    @Test(arguments: [([0, 1, 2, 5, 7, 8], "0-2,5,7-8"), ([3], "3"), ([4, 2, 3], "2-4")])
    func compressesIndexLists(indices: [Int], text: String) {
        #expect(SlurmArrayPlanner.indexList(indices) == text)
    }

    @Test(arguments: [("12", "12", nil), ("12_4", "12", 4)] as [(String, String, Int?)])
    func parsesReferences(text: String, job: String, task: Int?) {
        #expect(SlurmJobRef(text) == SlurmJobRef(jobID: job, task: task))
        #expect(SlurmJobRef(text)?.description == text)
    }

    @Test(arguments: ["", "x", "12_", "_3", "12_a", "12_3_4"])
    func rejectsMalformedReferences(text: String) {
        #expect(SlurmJobRef(text) == nil)
    }
}
