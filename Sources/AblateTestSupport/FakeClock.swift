import AblateExecution
import Foundation

/// A clock for unit tests of dispatch: time stands still until the test advances it, and `sleep`
/// returns only when the time it waits for has come. Nothing waits in real time.
///
/// ```swift
/// let clock = FakeClock()
/// Task { await clock.sleep(seconds: 5) }   // suspends
/// clock.advance(by: 5)                     // resumes it
/// ```
public final class FakeClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var sleepers: [(id: UUID, due: Date, continuation: CheckedContinuation<Void, Never>)] = []
    private var observers: [@Sendable (Date) -> Void] = []

    /// A clock that starts at `start`.
    public init(start: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        current = start
    }

    /// The current virtual time.
    public var now: Date { lock.withLock { current } }

    /// Suspends until the clock has been advanced `seconds` past now, or the task is cancelled.
    public func sleep(seconds: Double) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = lock.withLock { () -> Bool in
                    if Task.isCancelled { return true }
                    sleepers.append((id, current.addingTimeInterval(seconds), continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let cancelled = lock.withLock { () -> CheckedContinuation<Void, Never>? in
                guard let index = sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return sleepers.remove(at: index).continuation
            }
            cancelled?.resume()
        }
    }

    /// How many tasks sleep on this clock now.
    public var sleeperCount: Int { lock.withLock { sleepers.count } }

    /// Calls `observer` with the new time whenever the clock advances, before sleepers wake (a fake
    /// process host ends its processes there).
    public func onAdvance(_ observer: @escaping @Sendable (Date) -> Void) {
        lock.withLock { observers.append(observer) }
    }

    /// Moves time forward and wakes every sleeper whose time has come.
    public func advance(by seconds: Double) {
        let (time, observers) = lock.withLock { () -> (Date, [@Sendable (Date) -> Void]) in
            current = current.addingTimeInterval(seconds)
            return (current, self.observers)
        }
        for observer in observers { observer(time) }
        let due = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            let ready = sleepers.filter { $0.due <= time }.map(\.continuation)
            sleepers.removeAll { $0.due <= time }
            return ready
        }
        for continuation in due { continuation.resume() }
    }

    /// Advances the clock by `step` seconds at a time until `done` holds or `limit` virtual seconds have
    /// passed, and returns whether `done` held. Before each step it waits (in real time, a few seconds at
    /// most) until the code under test sleeps on the clock again, so that no tick is skipped however
    /// loaded the machine is.
    @discardableResult
    public func drive(step: Double = 1, limit: Double = 3600, until done: () -> Bool) async -> Bool {
        var elapsed = 0.0
        while !done() {
            guard elapsed < limit else { return false }
            var waited = 0
            while sleeperCount == 0, !done(), waited < 5000 {
                try? await Task.sleep(for: .milliseconds(1))
                waited += 1
            }
            if done() { break }
            advance(by: step)
            elapsed += step
            try? await Task.sleep(for: .milliseconds(1))
        }
        return true
    }
}
