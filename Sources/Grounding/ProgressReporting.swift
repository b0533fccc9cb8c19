/// Where long library work tells its progress and its results. The Grounding module computes and
/// never draws: a terminal renderer (in the reporting module) or a test's recorder conforms.
public protocol ProgressReporting: AnyObject {
    /// A task of `total` steps starts (`label`: "epoch 3/20", "text states").
    func begin(_ label: String, total: Int)
    /// `done` of the current task's steps are complete; `status` is a short state (the running
    /// loss), `itemsDone` the items behind the rate (samples so far), nil to count steps.
    func update(done: Int, status: String, itemsDone: Int?)
    /// Something the run reports once (configuration, an epoch's record, a stage starting).
    func report(_ event: RunEvent)
}

extension ProgressReporting {
    /// `update` counting steps, with no status.
    public func update(done: Int) { update(done: done, status: "", itemsDone: nil) }
}

/// What a run reports once, as typed values; the reporting module turns them into lines.
public enum RunEvent: Sendable {
    /// Free text (kept for the few notes that have no typed form yet).
    case note(String)
    /// A run starts with this configuration (the dataset's model defaults included).
    case configuration(GroundingRunConfiguration)
    /// The model about to train: its trainable and frozen scalars, and the frozen text
    /// encoder's.
    case parameters(trainable: Int, frozen: Int, textEncoder: Int)
    /// A step of the demo.
    case demo(GroundingDemo.Step)
    /// A step of the study.
    case study(PromptStudy.Step)
}
