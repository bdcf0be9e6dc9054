import Testing

@testable import AblateSlurm

@Suite struct SlurmJobInfoTests {
    /// What `squeue -h -t all --array -O SlurmJobInfo.squeueFormat` prints (Slurm 22.05).
    static let output = """
        9186|9186|0|PENDING|JobHeldUser|0|(null)|wrap
        9186|9186|1|PENDING|JobArrayTaskLimit|0|ablate:tok123|ablate/x/s1
        7|3|0|RUNNING|None|2|ablate:tok123|ablate/x/s1
        8|8|N/A|FAILED|NonZeroExitCode|0|(null)|a name | with a bar
        9|9|N/A|CANCELLED|DependencyNeverSatisfied|0||wrap

        """

    @Test func parsesPlainJobsAndArrayTasks() {
        let jobs = SlurmJobInfo.parse(Self.output)
        #expect(jobs.map(\.id) == ["9186_0", "9186_1", "3_0", "8", "9"])
        #expect(
            jobs[1]
                == SlurmJobInfo(
                    id: "9186_1", arrayJobID: "9186", arrayTaskID: 1, name: "ablate/x/s1", state: "PENDING",
                    reason: "JobArrayTaskLimit", comment: "ablate:tok123"))
        #expect(jobs[2].restarts == 2 && jobs[2].arrayJobID == "3" && jobs[2].state == "RUNNING")
        #expect(jobs[3].arrayTaskID == nil && jobs[3].comment == nil && jobs[3].name == "a name | with a bar")
        #expect(jobs[4].reason == "DependencyNeverSatisfied" && jobs[4].comment == nil)
    }

    @Test func anArrayWhoseTasksWereAllCancelledWhilePendingStandsForEachTask() {
        let jobs = SlurmJobInfo.parse(
            "9195|9195|N/A|CANCELLED|Resources|0||ablate/x/a\n9197|9195|2|COMPLETED|None|0||ablate/x/a\n")
        #expect(jobs.map(\.id) == ["9195", "9195_2"])
        let controller = Dictionary(uniqueKeysWithValues: jobs.map { ($0.id, $0) })
        #expect(SlurmSync.lookup("9195_0", in: controller)?.state == "CANCELLED")
        #expect(SlurmSync.lookup("9195_2", in: controller)?.state == "COMPLETED")
        #expect(SlurmSync.lookup("9196_0", in: controller) == nil)
        #expect(SlurmSync.lookup("9196", in: controller) == nil)
    }

    @Test func skipsLinesThatAreNotJobs() {
        #expect(SlurmJobInfo.parse("slurm_load_jobs error: Invalid job id specified\n\n").isEmpty)
    }
}
