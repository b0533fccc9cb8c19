import Datasets
import Metrics

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
    /// A grounding run's trainable and frozen scalars, and the frozen text encoder's.
    case parameters(trainable: Int, frozen: Int, textEncoder: Int)
    /// A pretraining run's trainable scalars (backbone and matching heads) and frozen ones
    /// (the span heads).
    case pretrainingParameters(trainable: Int, frozen: Int)
    /// The splits a run trains and evaluates on.
    case data(TrainingDataSummary)
    /// A run resumes after `afterEpoch` of its `totalEpochs` epochs.
    case resumed(afterEpoch: Int, totalEpochs: Int)
    /// A grounding epoch is done; `bestMetric` names the metric that picks the best weights.
    case epochFinished(EpochRecord, totalEpochs: Int, bestMetric: MetricKey)
    /// A pretraining epoch is done.
    case pretrainingEpochFinished(PretrainingEpochRecord, totalEpochs: Int)
    /// A step of the demo.
    case demo(GroundingDemo.Step)
    /// A step of the study.
    case study(PromptStudy.Step)
}

/// The data of a training run: its splits and their sizes.
public struct TrainingDataSummary: Sendable, Equatable {
    /// Queries (grounding) or moments (pretraining) in the training split.
    public var trainingCount: Int
    /// The training split's name.
    public var trainSplit: String
    /// Queries or moments in the evaluation (held-out) split.
    public var evaluationCount: Int
    /// The evaluation split's name.
    public var evaluationSplit: String
    /// Pretraining: the clips kept around each moment, as a fraction of its length on each
    /// side. Nil for a grounding run.
    public var momentContextFraction: Double?
    /// What the annotation policy repaired, dropped or counted in the training split.
    public var trainingAnomalies = AnomalyReport()
    /// What the annotation policy repaired, dropped or counted in the evaluation split.
    public var evaluationAnomalies = AnomalyReport()
}
