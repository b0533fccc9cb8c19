import VTGCore

/// The three evaluation protocols, named after the code they agree with
/// (shared/notes/metric-protocols.md describes each).
public enum EvaluationProtocol: String, CaseIterable, Codable, Sendable {
    /// VSLNet: the top-scored window only; a hit when IoU ≥ m; R@1 at IoU
    /// {0.1, 0.3, 0.5, 0.7} and mIoU.
    case vslnet
    /// 2D-TAN: windows by score, greedy NMS at IoU 0.5, the first 5 kept; a hit when IoU > m
    /// (strict) for any of the first n; R@{1, 5} at IoU {0.1, 0.3, 0.5, 0.7} and mIoU.
    case twoDTAN = "2d-tan"
    /// moment_detr's standalone_eval for QVHighlights: R1@{0.5…0.95} on the first window against
    /// the best-matching ground-truth window (IoU ≥ m), mAP over the first 10 windows at the same
    /// thresholds, by moment length, and highlight mAP / HIT@1 from per-clip saliency.
    case qvhighlights

    /// The protocol a dataset's papers usually report: QVHighlights' own, 2D-TAN's otherwise
    /// (the one of the two with R@5).
    public static func standard(for dataset: DatasetName) -> EvaluationProtocol {
        dataset == .qvHighlights ? .qvhighlights : .twoDTAN
    }
}
