import AblateKit
import ArgumentParser

/// `--db PATH`, shared by every command that reads or writes the results database.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The results database (default: $ABLATE_DB, else .ablate/ablate.db).")
    var db: String?

    /// The resolved path.
    var path: String { DatabaseLocation.resolve(option: db) }

    /// Opens the existing database read-only.
    func openReadOnly() throws -> ResultStore {
        try ResultStore.openReadOnly(path: path)
    }
}

/// How query results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

extension TextTable {
    func rendered(as format: OutputFormat) -> String {
        switch format {
        case .table: text()
        case .csv: csv()
        case .json: json()
        }
    }
}
