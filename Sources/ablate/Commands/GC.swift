import AblateKit
import ArgumentParser
import Foundation

/// `ablate gc`: delete what no kept sweep needs (a dry run unless --apply).
struct GC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Delete job outputs and checkpoints no kept sweep needs; a dry run unless --apply is given.",
        discussion: """
            Policies: the output of a job no kept sweep uses is deleted (its .ablate/ logs stay) and the job \
            runs again if one needs it; the checkpoints of a succeeded job whose downstream jobs all succeeded \
            are deleted except the last --keep-last and those a fan-out consumes. A job that is queued or \
            running, or whose downstream jobs are not final, is never touched; records are never deleted. \
            Mark a sweep as no longer kept with --drop SWEEP (and kept again with --keep SWEEP).
            """)

    @OptionGroup var store: StoreOptions

    @Flag(help: "Delete; without it, only list what would be deleted.")
    var apply = false

    @Option(help: "Checkpoints to keep per job, the last ones (default 1).")
    var keepLast: Int = 1

    @Option(help: "Mark this sweep as no longer kept, then collect.")
    var drop: [String] = []

    @Option(help: "Mark this sweep as kept again, then collect.")
    var keep: [String] = []

    @Flag(help: "Print JSON: the paths deleted (or that would be), with their bytes.")
    var json = false

    func validate() throws {
        guard keepLast >= 0 else { throw ValidationError("--keep-last must be 0 or more, not \(keepLast)") }
    }

    func run() async throws {
        try await ErrorReporting.run {
            let database = try ResultStore(path: store.path)
            let known = try database.sweepNames()
            for sweep in drop + keep where !known.contains(sweep) { throw ExecutionError.unknownSweep(sweep) }
            for sweep in drop { try database.setKept(false, sweep: sweep) }
            for sweep in keep { try database.setKept(true, sweep: sweep) }
            let plan = try GarbageCollector.plan(store: database, keepLast: keepLast)
            if apply {
                let freed = try GarbageCollector.apply(plan, store: database) { ErrorReporting.standardError($0) }
                print(
                    json ? GarbageText.json(plan, applied: true) : GarbageText.text(plan, applied: true, freed: freed))
            } else {
                print(json ? GarbageText.json(plan, applied: false) : GarbageText.text(plan, applied: false, freed: 0))
            }
        }
    }
}
