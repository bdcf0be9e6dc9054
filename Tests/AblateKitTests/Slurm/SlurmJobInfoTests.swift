import Testing

@testable import AblateKit

@Suite struct SlurmJobInfoTests {
    static let output = """
        JobId=3 ArrayJobId=3 ArrayTaskId=1-2%1 ArrayTaskThrottle=1 JobName=ablate/x/s1 UserId=root(0) JobState=PENDING Reason=JobArrayTaskLimit Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 ExitCode=0:0 Comment=ablate:tok123  StdErr=/tmp/a b/x.out Power=
        JobId=7 ArrayJobId=3 ArrayTaskId=0 ArrayTaskThrottle=1 JobName=ablate/x/s1 JobState=RUNNING Reason=None Restarts=2 ExitCode=0:0 Comment=ablate:tok123
        JobId=8 JobName=wrap JobState=FAILED Reason=NonZeroExitCode Restarts=0 ExitCode=3:0 Comment=(null)
        JobId=9 JobName=wrap JobState=CANCELLED Reason=DependencyNeverSatisfied ExitCode=0:15
        """

    @Test func parsesPlainJobsArrayTasksAndPendingArrayRanges() {
        let jobs = SlurmJobInfo.parse(Self.output)
        #expect(jobs.map(\.id) == ["3_1", "3_2", "3_0", "8", "9"])
        #expect(jobs[0].state == "PENDING" && jobs[0].reason == "JobArrayTaskLimit" && jobs[0].arrayTaskID == 1)
        #expect(jobs[0].comment == "ablate:tok123")
        #expect(jobs[2].restarts == 2 && jobs[2].arrayJobID == "3" && jobs[2].state == "RUNNING")
        #expect(jobs[3].exit?.code == 3 && jobs[3].exit?.signal == 0 && jobs[3].comment == nil)
        #expect(jobs[4].exit?.signal == 15)
    }

    @Test func anArrayWhoseTasksWereAllCancelledWhilePendingStandsForEachTask() {
        let jobs = SlurmJobInfo.parse(
            "JobId=115 ArrayJobId=115 ArrayTaskId=4294967294 JobState=CANCELLED Reason=None ExitCode=0:0\n"
                + "JobId=117 ArrayJobId=115 ArrayTaskId=2 JobState=COMPLETED Reason=None ExitCode=0:0")
        #expect(jobs.map(\.id) == ["115", "115_2"])
        let controller = Dictionary(uniqueKeysWithValues: jobs.map { ($0.id, $0) })
        #expect(SlurmSync.lookup("115_0", in: controller)?.state == "CANCELLED")
        #expect(SlurmSync.lookup("115_2", in: controller)?.state == "COMPLETED")
        #expect(SlurmSync.lookup("116_0", in: controller) == nil)
    }

    @Test func valuesWithSpacesStayWhole() {
        let fields = SlurmJobInfo.fields(of: "JobId=1 StdErr=/tmp/a b/x.out WorkDir=/w")
        #expect(fields["StdErr"] == "/tmp/a b/x.out")
        #expect(fields["WorkDir"] == "/w")
    }

    @Test(arguments: [
        ("5", [5]), ("0-3", [0, 1, 2, 3]), ("1-2%1", [1, 2]), ("0-6:3,9", [0, 3, 6, 9]), ("2,4-5%10", [2, 4, 5]),
    ])
    func expandsArrayIndexExpressions(expression: String, indices: [Int]) {
        #expect(SlurmJobInfo.indices(expression) == indices)
    }
}
