import AblateCore
import Foundation

@_spi(Benchmarks) @testable import AblateStore

/// A temporary directory removed at the end of the test.
struct TemporaryDirectory: ~Copyable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ablate-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Expands a spec that must be valid.
func plan(_ yaml: String) throws -> SweepPlan {
    try SpecLoader.load(yaml: yaml, file: "t.yaml").plan
}

let twoStageSpec = """
    sweep: lengths
    params:
      lr: 1e-5
    presets:
      long_data:
        books: book-65536@0.6
        repos: thestackv1_concat_by_repo-65536@0.6
    grid:
      long_data: [books, repos]
      train_length: [65536, 524288]
      seed: [1, 2]
    stages:
      pretrain: {run: "train {params.long_data} {params.train_length}", uses: [long_data, train_length, lr]}
      eval: {run: "eval {pretrain.output} {params.seed}", uses: [seed], after: [pretrain]}
    """

/// Appends `text` to the file at `path`, creating it.
func append(_ text: String, to path: String) throws {
    if !FileManager.default.fileExists(atPath: path) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
    try handle.close()
}
