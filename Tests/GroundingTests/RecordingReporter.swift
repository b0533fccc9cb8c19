@testable import Grounding

/// A `ProgressReporting` that draws nothing and keeps every event, for tests.
final class RecordingReporter: Grounding.ProgressReporting {
    /// The events reported, in order.
    private(set) var events: [RunEvent] = []
    /// The labels of the tasks begun, in order.
    private(set) var tasks: [String] = []

    func begin(_ label: String, total: Int) { tasks.append(label) }
    func update(done: Int, status: String, itemsDone: Int?) {}
    func report(_ event: RunEvent) { events.append(event) }
}
