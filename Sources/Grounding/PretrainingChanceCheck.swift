import Foundation

/// Whether a VTM pretraining learned to match sentences with moments at all.
///
/// A backbone whose held-out matching stays at chance does not carry the query into the fused
/// states. A grounding model that keeps it frozen (prompt tuning, LoRA, side tuning) then cannot
/// read the query: its span head learns the training set's average start and end
/// distributions, and the best pair of those is a long, near-whole-video span. That gives
/// R@1 IoU=0.5 near 0 and mIoU near the whole-video baseline's, below the video-free baseline:
/// the "collapse" of `Docs/study-results.md`. Full fine-tuning has to learn matching itself,
/// and within a short schedule it collapses the same way.
public struct PretrainingChanceCheck: Codable, Sendable, Equatable {
    /// Held-out matching accuracy (percent) at or below which the backbone counts as at
    /// chance: chance is 50 % (balanced matched and mismatched pairs), plus this margin.
    public static let matchingAccuracyLimit = 60.0
    /// The in-batch retrieval R@1 at or below which the backbone counts as at chance, as a
    /// multiple of chance (100 / candidates).
    public static let retrievalChanceMultiple = 2.0

    /// The seed of the pretraining.
    public var seed: UInt64
    /// The backbone's key (`PromptStudyBackbone`'s raw value, or a run name).
    public var backbone: String
    /// The last epoch's held-out matching accuracy, in percent.
    public var heldOutAccuracy: Double
    /// The last epoch's in-batch retrieval R@1, in percent.
    public var retrievalAccuracy: Double
    /// Moments each held-out sentence was ranked against.
    public var retrievalCandidates: Int

    /// The check of `record`, the last epoch of a pretraining.
    public init(seed: UInt64, backbone: String, record: PretrainingEpochRecord) {
        self.seed = seed
        self.backbone = backbone
        heldOutAccuracy = record.heldOutAccuracy
        retrievalAccuracy = record.retrievalAccuracy
        retrievalCandidates = record.retrievalCandidates
    }

    /// Retrieval R@1 of a ranker that guesses, in percent.
    public var retrievalChance: Double { 100 / Double(max(retrievalCandidates, 1)) }

    /// True when both the matching accuracy and the retrieval R@1 stay at chance.
    public var isAtChance: Bool {
        heldOutAccuracy <= Self.matchingAccuracyLimit
            && retrievalAccuracy <= Self.retrievalChanceMultiple * retrievalChance
    }
}

extension PretrainingSummary {
    /// The chance check of the last epoch (nil when no epoch was trained).
    public func chanceCheck(seed: UInt64, backbone: String) -> PretrainingChanceCheck? {
        epochs.last.map { PretrainingChanceCheck(seed: seed, backbone: backbone, record: $0) }
    }
}
