import Tensors

/// The training losses of one batch (scalars on the tape).
public struct GroundingLoss {
    /// Cross-entropy of the start logits against the target start clips.
    public var start: Tensor
    /// Cross-entropy of the end logits against the target end clips.
    public var end: Tensor
    /// Binary cross-entropy of the inside logits, averaged over real clips.
    public var inside: Tensor
    /// The weighted sum that is minimised.
    public var total: Tensor

    /// The losses of `logits` against `batch`'s targets:
    /// total = w_b·(CE_start + CE_end) + w_i·BCE_inside.
    public init(logits: GroundingLogits, batch: GroundingBatch,
        boundaryWeight: Float, insideWeight: Float)
    {
        start = logits.start.crossEntropy(targets: batch.startClips)
        end = logits.end.crossEntropy(targets: batch.endClips)
        inside = Self.insideLoss(logits.inside, batch: batch)
        total = (start + end) * boundaryWeight + inside * insideWeight
    }

    /// Binary cross-entropy of per-clip logits `[batch, clips]` against `batch.insideLabels`,
    /// averaged over real clips (padding weighs 0).
    static func insideLoss(_ logits: Tensor, batch: GroundingBatch) -> Tensor {
        let realClips = Float(batch.clipCounts.reduce(0, +))
        return logits.binaryCrossEntropyWithLogits(
            targets: batch.insideLabels, weight: batch.clipWeights, reduction: .sum) / realClips
    }
}
