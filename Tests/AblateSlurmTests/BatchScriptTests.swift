import AblateCore
import AblateTestSupport
import Foundation
import Testing

@testable import AblateSlurm

@Suite struct BatchScriptTests {
    @Test func singleJobWithDependencyAndEveryResource() throws {
        let resources = Resources(
            cpus: 8, gpus: 8, mem: "400G", time: "1-00:00:00", nodes: 1, extras: ["partition": "pli", "qos": "high"],
            sbatch: ["--exclusive"])
        let defaults = SlurmDefaults(
            options: ["account": "lm", "partition": "default"], sbatch: ["--mail-type=NONE"], signalSeconds: 300)
        let script = BatchScript(
            sweep: "long-data-source", stage: "pretrain", token: "0123456789abcdef",
            options: BatchScript.resourceOptions(resources: resources, defaults: defaults, timeoutSeconds: nil),
            dependency: .afterOK([SlurmJobRef("41")!, SlurmJobRef("40_3")!]), throttle: nil, signalSeconds: 300,
            tasks: [.init(index: nil, directory: "/scratch/ablate/jobs/pretrain/ab12", firstAttempt: 2)],
            linkDirectory: "/scratch/ablate/slurm/0123456789abcdef", wrapper: "/opt/ablate/bin/ablate-wrap")
        expectGolden(script.render(), "single-job.sbatch")
    }

    @Test func arrayWithThrottleAndCorrespondingDependency() throws {
        let script = BatchScript(
            sweep: "sft-data", stage: "sft", token: "feedfacecafebeef",
            options: BatchScript.resourceOptions(
                resources: Resources(cpus: 2), defaults: SlurmDefaults(), timeoutSeconds: 5400),
            dependency: .afterCorresponding(["17"]), throttle: 2, signalSeconds: 120,
            tasks: [
                .init(index: 0, directory: "/work dir/jobs/sft/k0", firstAttempt: 1),
                .init(index: 1, directory: "/work dir/jobs/sft/k1", firstAttempt: 1),
                .init(index: 3, directory: "/work dir/jobs/sft/it's", firstAttempt: 4),
            ],
            linkDirectory: "/work dir/slurm/feedfacecafebeef", wrapper: "/usr/local/bin/ablate-wrap")
        expectGolden(script.render(), "array.sbatch")
    }

    @Test func stageResourcesOverrideTheSpecDefaults() {
        let options = BatchScript.resourceOptions(
            resources: Resources(mem: "8G", extras: ["partition": "gpu"]),
            defaults: SlurmDefaults(options: ["partition": "cpu", "mem": "1G", "time": "10"]), timeoutSeconds: 3600)
        #expect(options == ["--cpus-per-task=1", "--mem=8G", "--partition=gpu", "--time=10"])
    }

    @Test func aTimeoutBecomesWholeMinutesWhenNoTimeIsGiven() {
        let options = BatchScript.resourceOptions(
            resources: Resources(), defaults: SlurmDefaults(), timeoutSeconds: 61)
        #expect(options == ["--cpus-per-task=1", "--time=2"])
    }
}
