import AblateCollect
import AblateCore
import AblateTestSupport
import Foundation
import Testing

/// `trainer_state.json` and `*_results.json` as the Hugging Face Trainer writes them (keys sorted, a
/// summary entry with `train_loss` last), in the output folder and in `checkpoint-N/`.
@Suite struct HFTrainerCollectorTests {
    static func state(steps: [Int64], summary: Bool) -> String {
        var history: [ParamValue] = steps.map { step in
            .object([
                "epoch": .double(Double(step) / 100), "grad_norm": .double(1.5), "learning_rate": .double(1e-5),
                "loss": .double(3 - Double(step) / 100), "num_input_tokens_seen": .int(step * 4096), "step": .int(step),
            ])
        }
        if summary {
            history.append(
                .object([
                    "epoch": .double(1), "step": .int(steps.last ?? 0), "total_flos": .double(1e15),
                    "train_loss": .double(2.5), "train_runtime": .double(99.5),
                ]))
        }
        return ParamValue.object([
            "best_metric": .null, "epoch": .double(1), "global_step": .int(steps.last ?? 0),
            "log_history": .array(history),
            "logging_steps": .int(1), "max_steps": .int(100), "save_steps": .int(50), "total_flos": .double(1e15),
            "train_batch_size": .int(8),
        ]).canonicalJSON
    }

    @Test func theSeriesComeFromTheFurthestStateAndTheFinalsFromTheResultsFiles() throws {
        let work = try ScratchDirectory()
        for (name, steps) in [("checkpoint-50", [Int64](1...50)), ("checkpoint-100", [Int64](1...100))] {
            let folder = work.url.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(Self.state(steps: steps, summary: false).utf8).write(
                to: folder.appendingPathComponent("trainer_state.json"))
        }
        try Data(#"{"epoch": 1.0, "train_loss": 2.25, "train_runtime": 120.5}"#.utf8).write(
            to: work.url.appendingPathComponent("all_results.json"))
        var collector = JobCollector(kind: .hfTrainer, path: ".")
        collector.tokensPerStep = 4096
        let read = try HFTrainerCollector().collect(in: work.url, as: collector)
        #expect(read.files == ["checkpoint-100/trainer_state.json", "all_results.json"])
        let loss = read.points.filter { $0.key == "loss" }
        #expect(loss.count == 100)
        #expect(loss.last == .init(key: "loss", step: 100, value: 2))
        #expect(read.points.filter { $0.key == "tokens" }.last == .init(key: "tokens", step: 100, value: 409_600))
        let finals = Dictionary(read.values.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        #expect(finals["loss"] == 2)
        #expect(finals["train_loss"] == 2.25)
        #expect(finals["tokens"] == 409_600)
        #expect(finals["num_input_tokens_seen"] == 409_600)
    }

    @Test func theOutputFoldersStateWinsWhenItIsFurtherAlong() throws {
        let work = try ScratchDirectory()
        let checkpoint = work.url.appendingPathComponent("checkpoint-10")
        try FileManager.default.createDirectory(at: checkpoint, withIntermediateDirectories: true)
        try Data(Self.state(steps: [5, 10], summary: false).utf8).write(
            to: checkpoint.appendingPathComponent("trainer_state.json"))
        try Data(Self.state(steps: [5, 10, 15, 20], summary: true).utf8).write(
            to: work.url.appendingPathComponent("trainer_state.json"))
        let read = try HFTrainerCollector().collect(in: work.url, as: JobCollector(kind: .hfTrainer, path: "."))
        #expect(read.files == ["trainer_state.json"])
        #expect(read.points.filter { $0.key == "train_loss" } == [.init(key: "train_loss", step: 20, value: 2.5)])
    }

    @Test func aTruncatedStateIsAWarningAndNothingAtAllIsAnError() throws {
        let work = try ScratchDirectory()
        let state = work.url.appendingPathComponent("trainer_state.json")
        try Data(#"{"global_step": 3, "log_history": [{"loss": 2.0, "step": 1}, {"lo"#.utf8).write(to: state)
        #expect {
            try HFTrainerCollector().collect(in: work.url, as: JobCollector(kind: .hfTrainer, path: "."))
        } throws: { error in
            (error as? CollectionError)?.description.contains("\(state.path): is not complete JSON") == true
        }
        try Data(#"{"train_loss": 2.0}"#.utf8).write(to: work.url.appendingPathComponent("train_results.json"))
        let read = try HFTrainerCollector().collect(in: work.url, as: JobCollector(kind: .hfTrainer, path: "."))
        #expect(read.values == [.init(key: "train_loss", value: 2)])
        #expect(read.warnings.count == 1)
        let empty = try ScratchDirectory()
        #expect(
            throws: CollectionError.empty(
                empty.url.path, expected: "trainer_state.json (in the folder or a checkpoint-N/) or all_results.json")
        ) { try HFTrainerCollector().collect(in: empty.url, as: JobCollector(kind: .hfTrainer, path: ".")) }
    }
}
