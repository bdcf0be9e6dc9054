import Foundation
import GRDB

extension ResultStore {
    /// Sets a job's state and recomputes the status of every run that uses it, in one transaction.
    public func setState(ofJob key: String, to state: String, at time: Date = Date()) throws {
        try database.write { db in
            guard let jobID = try Int64.fetchOne(db, sql: "SELECT id FROM jobs WHERE key = ?", arguments: [key]) else {
                throw StoreError.unknownID(key)
            }
            try db.execute(
                sql: "UPDATE jobs SET state = ?, updated_at = ? WHERE id = ?",
                arguments: [state, time.timeIntervalSince1970, jobID])
            try Self.refreshRunStatuses(jobID: jobID, in: db)
        }
    }

    /// The state of each job, by key.
    public func jobStates() throws -> [String: String] {
        try database.read { db in
            var states: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, state FROM jobs") {
                states[row["key"]] = row["state"]
            }
            return states
        }
    }
}
