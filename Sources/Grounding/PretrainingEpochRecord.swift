import Foundation

/// One pretraining epoch's record in `RUN_DIR/log.jsonl`.
public struct PretrainingEpochRecord: Codable, Sendable, TrainingRecord {
    /// The epoch, from 0.
    public var epoch: Int
    /// Mean VTM loss over the epoch's pairs.
    public var trainingLoss: Double
    /// The clip-level matching loss (binary cross-entropy per real clip; 0 when off).
    public var clipMatchingLoss: Double
    /// Share of training pairs classified right (match probability above ½), in percent.
    public var trainingAccuracy: Double
    /// VTM loss on the held-out pairs (the evaluation split, pairs drawn with a fixed seed).
    public var heldOutLoss: Double
    /// Matching accuracy on the held-out pairs, in percent.
    public var heldOutAccuracy: Double
    /// Share of held-out sentences whose own moment scores highest among the moments of its
    /// batch, in percent (chance: 100 / `retrievalCandidates`).
    public var retrievalAccuracy: Double
    /// Moments each held-out sentence is ranked against (the batch size).
    public var retrievalCandidates: Int
    /// Seconds spent training (evaluation excluded).
    public var trainingSeconds: Double
    /// Seconds of the held-out checks.
    public var evaluationSeconds: Double
    /// Training throughput in pairs (VIOLET: two per moment).
    public var pairsPerSecond: Double
    /// The learning rate at the end of the epoch.
    public var learningRate: Double
}

/// What a finished pretraining run reports.
public struct PretrainingSummary: Sendable {
    /// Every epoch's record.
    public var epochs: [PretrainingEpochRecord]
    /// The backbone file the grounding stage starts from (`--init`).
    public var backbone: URL
    /// Scalars trained (backbone and matching heads).
    public var trainableParameters: Int
    /// Size of `backbone.safetensors`.
    public var backboneBytes: Int
}
