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
    private var sleepers: [(due: Date, continuation: CheckedContinuation<Void, Never>)] = []
    private var observers: [@Sendable (Date) -> Void] = []

    /// A clock that starts at `start`.
    public init(start: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        current = start
    }

    /// The current virtual time.
    public var now: Date { lock.withLock { current } }

    /// Suspends until the clock has been advanced `seconds` past now.
    public func sleep(seconds: Double) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.withLock { sleepers.append((current.addingTimeInterval(seconds), continuation)) }
        }
    }

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

    /// Advances the clock by `step` seconds at a time, giving the code under test a moment of real
    /// time after each step, until `done` holds or `limit` virtual seconds have passed. Returns
    /// whether `done` held.
    @discardableResult
    public func drive(step: Double = 1, limit: Double = 3600, until done: () -> Bool) async -> Bool {
        var elapsed = 0.0
        while !done() {
            guard elapsed < limit else { return false }
            advance(by: step)
            elapsed += step
            try? await Task.sleep(for: .milliseconds(3))
        }
        return true
    }
}
