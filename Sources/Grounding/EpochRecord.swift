import Metrics

/// One grounding epoch's record in `RUN_DIR/log.jsonl`.
public struct EpochRecord: Codable, Sendable, TrainingRecord {
    /// The epoch, from 0.
    public var epoch: Int
    /// Mean training loss per sample (the weighted sum minimised; an ensemble's mean over its
    /// members).
    public var trainingLoss: Double
    /// Mean start cross-entropy per sample.
    public var startLoss: Double
    /// Mean end cross-entropy per sample.
    public var endLoss: Double
    /// Mean inside binary cross-entropy per sample.
    public var insideLoss: Double
    /// Seconds spent training (evaluation excluded).
    public var trainingSeconds: Double
    /// Seconds of the evaluation after the epoch.
    public var evaluationSeconds: Double
    /// Training throughput.
    public var samplesPerSecond: Double
    /// The learning rate at the end of the epoch.
    public var learningRate: Double
    /// The metrics on the evaluation split after the epoch.
    public var metrics: MetricsReport
    /// The best value so far of the metric that picks the best checkpoint.
    public var bestMetric: Double
    /// True when this epoch's weights are the best so far (saved as `best.safetensors`).
    public var isBest: Bool
}

/// What a finished training run reports.
public struct GroundingTrainingSummary: Sendable {
    /// Every epoch's record.
    public var epochs: [EpochRecord]
    /// The epoch of the best weights (from 0), chosen by `selection`.
    public var bestEpoch: Int
    /// Their metrics on the evaluation (test) split: evaluated once, at the chosen epoch, when
    /// a validation split chose it.
    public var bestMetrics: MetricsReport
    /// Which split chose the epoch.
    public var selection: ModelSelection
    /// The validation split that chose it (nil when the test split did).
    public var validation: ValidationSplit?
    /// The chosen epoch's metrics on the split that chose it (`bestMetrics` when the test
    /// split did).
    public var selectionMetrics: MetricsReport
    /// True when early stopping ended training before the configured epochs.
    public var stoppedEarly: Bool
    /// Trained scalars of the grounding model.
    public var trainableParameters: Int
    /// Frozen scalars of the grounding model (backbone, when prompt-tuned).
    public var frozenParameters: Int
    /// Scalars of the frozen text encoder, shared by every run.
    public var textEncoderParameters: Int
    /// Size of the best checkpoint file.
    public var checkpointBytes: Int
    /// Seconds spent encoding the queries' text states.
    public var textEncodingSeconds: Double
    /// The most bytes tensors held at once during training.
    public var peakTensorBytes: Int
}
