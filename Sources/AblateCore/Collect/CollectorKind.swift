/// Which evaluator or trainer wrote the files a collector reads (`collect:` of a stage).
public enum CollectorKind: String, Sendable, Hashable, CaseIterable {
    /// HELMET's `eval.py` result files (`.json`, `.json.score`, `-gpt4eval_o.json`), scored as HELMET's
    /// `scripts/collect_results.py` scores them.
    case helmet
    /// lm-evaluation-harness `results_<timestamp>.json` files (and `samples_*.jsonl` with `--log_samples`).
    case lmEval = "lm-eval"
    /// The Hugging Face Trainer's `trainer_state.json` (`log_history`) and `all_results.json`.
    case hfTrainer = "hf-trainer"

    /// Whether the collector also runs while the job runs (training curves), not only after success.
    public var collectsWhileRunning: Bool { self == .hfTrainer }
}
