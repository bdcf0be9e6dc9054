import Foundation

/// The time, and waiting: injected into dispatch so that timeouts, grace periods, leases and ticks can
/// be tested without waiting (`AblateTestSupport.FakeClock`).
public protocol WallClock: Sendable {
    /// Now.
    var now: Date { get }

    /// Waits `seconds` (or until the task is cancelled).
    func sleep(seconds: Double) async
}

/// The system's clock.
public struct SystemClock: WallClock {
    /// Creates the system clock.
    public init() {}

    /// `Date()`.
    public var now: Date { Date() }

    /// `Task.sleep`.
    public func sleep(seconds: Double) async {
        try? await Task.sleep(for: .seconds(seconds))
    }
}
