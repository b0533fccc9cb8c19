import VTGCore

/// One recall figure: the percentage of queries with a hit among the first `rank` windows at
/// IoU threshold `iouThreshold`.
public struct RecallAtIoU: Hashable, Codable, Sendable {
    /// n of R@n.
    public var rank: Int
    /// m of "IoU = m".
    public var iouThreshold: Double
    /// Percentage of queries, 0–100.
    public var percent: Double
}

/// R@n at IoU m and mIoU under the `vslnet` or `2d-tan` protocol.
public struct RecallMetrics: Hashable, Codable, Sendable {
    /// The protocol the figures follow.
    public var evaluationProtocol: EvaluationProtocol
    /// Queries evaluated (queries without a prediction count as misses with IoU 0).
    public var queryCount: Int
    /// R@n at each IoU threshold, by rank then threshold.
    public var recalls: [RecallAtIoU]
    /// Mean IoU of the top window over all queries, × 100.
    public var meanIoUPercent: Double

    /// IoU thresholds reported by both protocols (the union of what papers quote).
    public static let iouThresholds = [0.1, 0.3, 0.5, 0.7]

    /// The NMS threshold of the 2D-TAN protocol (its configs for Charades conv, ActivityNet and
    /// TACoS conv).
    public static let twoDTANSuppressionThreshold = 0.5

    /// The recall at `rank` and `iouThreshold`, if computed.
    public func percent(rank: Int, iouThreshold: Double) -> Double? {
        recalls.first { $0.rank == rank && $0.iouThreshold == iouThreshold }?.percent
    }

    /// Evaluates `windows[i]`, the predictions for `samples[i]` (any order; an empty list is a
    /// query without prediction), under `evaluationProtocol` (`.vslnet` or `.twoDTAN`).
    ///
    /// A window's IoU is its best hull IoU (``Datasets/TimeSpan/intersectionOverHull(with:)``)
    /// with any of the sample's targets. `vslnet` takes the highest-scored window (ties: the
    /// first in the list) and counts IoU ≥ m; `2d-tan` sorts by score, applies NMS at 0.5 (with
    /// the true-union IoU, as its code does), keeps 5, and counts IoU > m among the first n.
    public static func compute(
        samples: [GroundingSample], windows: [[ScoredSpan]], evaluationProtocol: EvaluationProtocol
    ) -> RecallMetrics {
        precondition(
            samples.count == windows.count,
            "RecallMetrics.compute: \(samples.count) samples but \(windows.count) prediction lists")
        precondition(evaluationProtocol != .qvhighlights, "use QVHighlightsMetrics.compute")
        let ranks = evaluationProtocol == .vslnet ? [1] : [1, 5]
        let maxRank = ranks.max() ?? 1
        var hits = [Int](repeating: 0, count: ranks.count * iouThresholds.count)
        var iouSum = 0.0
        for (sample, predictions) in zip(samples, windows) {
            let ranked: [ScoredSpan]
            switch evaluationProtocol {
            case .twoDTAN:
                ranked = predictions.nonMaximumSuppressed(
                    iouThreshold: twoDTANSuppressionThreshold, maxKept: maxRank)
            default:
                ranked = Array(predictions.sortedByScore().prefix(1))
            }
            let ious = ranked.map { $0.span.bestIntersectionOverHull(with: sample.targets) }
            iouSum += ious.first ?? 0
            for (rankPosition, rank) in ranks.enumerated() {
                for (thresholdPosition, threshold) in iouThresholds.enumerated() {
                    let hit = ious.prefix(rank).contains {
                        evaluationProtocol == .vslnet ? $0 >= threshold : $0 > threshold
                    }
                    if hit { hits[rankPosition * iouThresholds.count + thresholdPosition] += 1 }
                }
            }
        }
        let count = samples.count
        func percent(_ value: Double) -> Double { count == 0 ? 0 : 100 * value / Double(count) }
        var recalls: [RecallAtIoU] = []
        for (rankPosition, rank) in ranks.enumerated() {
            for (thresholdPosition, threshold) in iouThresholds.enumerated() {
                recalls.append(
                    RecallAtIoU(
                        rank: rank, iouThreshold: threshold,
                        percent: percent(
                            Double(hits[rankPosition * iouThresholds.count + thresholdPosition]))))
            }
        }
        return RecallMetrics(
            evaluationProtocol: evaluationProtocol, queryCount: count, recalls: recalls,
            meanIoUPercent: percent(iouSum))
    }
}
