import Foundation

/// The metric series the dashboard read last, kept while the database's change counter stays the same:
/// redrawing a curve (another bucket count, another selection with the same runs, the page's poll) then
/// skips reading a million points again. Bounded to the last `capacity` series.
final class SeriesCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(key: String, counter: String, points: [(step: Double, value: Double)])] = []
    private let capacity: Int

    init(capacity: Int = 16) {
        self.capacity = capacity
    }

    /// The cached points of `key` if they were read at `counter`, else those `read` returns (cached).
    func points(
        _ key: String, counter: String, read: () throws -> [(step: Double, value: Double)]
    ) rethrows -> [(step: Double, value: Double)] {
        lock.lock()
        if let hit = entries.first(where: { $0.key == key && $0.counter == counter }) {
            lock.unlock()
            return hit.points
        }
        lock.unlock()
        let points = try read()
        lock.lock()
        entries.removeAll { $0.key == key }
        entries.append((key, counter, points))
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
        lock.unlock()
        return points
    }
}
