import Foundation

/// A ProLong checkout for tests on machines without GPUs: the stand-in launch scripts
/// (`scripts/standins/prolong`, written from ProLong's interface), the `training` module `torchrun -m`
/// looks for, and the released data folders where ProLong's README clones them (each domain folder with
/// an empty `index.json`), plus `bin/` with the `torchrun` and `nvidia-smi` stand-ins to put on `PATH`.
public enum ProLongStandIn {
    /// The stand-in scripts.
    public static let directory = AblateProcess.packageRoot.appendingPathComponent("scripts/standins/prolong")

    /// The stand-in executables (`torchrun`, `nvidia-smi`), to put first on `PATH`.
    public static let bin = directory.appendingPathComponent("bin")

    /// The domain folders of princeton-nlp/prolong-data-64K, cloned into `datasets/long-context-65536`.
    public static let domains64K = [
        "arxiv", "book-65536", "dclm-baseline", "dolmawiki", "fineweb-2023-50", "fineweb-edu", "openwebmath",
        "stackexchange", "textbooks", "thestackv1_concat_by_repo-65536", "tuluv2",
    ]

    /// The domain folders of princeton-nlp/prolong-data-512K, cloned into `datasets/long-context-524288`.
    public static let domains512K = [
        "arxiv", "book-524288", "book-65536", "dolmawiki", "fineweb-2023-50", "fineweb-edu", "openwebmath",
        "stackexchange", "textbooks", "thestackv1_concat_by_repo-524288", "thestackv1_concat_by_repo-65536", "tuluv2",
    ]

    /// The SFT data the sft-data and synthetic-sft-ratio sweeps say to pack by hand under `datasets/`.
    public static let handPacked = ["tulu-v2-64K", "sharegpt-64K", "synthetic-long-qa-64K"]

    /// Creates a checkout at `directory/ProLong` with the released data, and `extra` folders under
    /// `datasets/` (SFT data a user packs by hand); returns it.
    public static func checkout(in directory: URL, extra: [String] = []) throws -> URL {
        let prolong = directory.appendingPathComponent("ProLong")
        let folders =
            domains64K.map { "datasets/long-context-65536/\($0)" }
            + domains512K.map { "datasets/long-context-524288/\($0)" } + ["datasets/prolong-ultrachat-64K"]
            + extra.map { "datasets/\($0)" }
        for folder in folders {
            let url = prolong.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try Data("{}\n".utf8).write(to: url.appendingPathComponent("index.json"))
        }
        let training = prolong.appendingPathComponent("training")
        try FileManager.default.createDirectory(at: training, withIntermediateDirectories: true)
        for module in ["__init__.py", "train_language_model.py"] {
            try Data().write(to: training.appendingPathComponent(module))
        }
        for script in ["train_64K.sh", "train_512K.sh", "train_sft.sh", "launch.sh"] {
            try FileManager.default.copyItem(
                at: Self.directory.appendingPathComponent(script), to: prolong.appendingPathComponent(script))
        }
        return prolong
    }
}
