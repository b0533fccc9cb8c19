import VTGCore

/// Average precision of one query's ranked windows against its ground-truth windows, as
/// moment_detr computes it (ActivityNet's `compute_average_precision_detection`).
enum DetectionAveragePrecision {
    /// AP at each of `iouThresholds`, in [0, 1].
    ///
    /// `predictions` are sorted by score (stable). Each prediction, in turn, is matched to the
    /// not-yet-matched ground-truth window with the highest IoU, if that IoU ≥ the threshold (ties
    /// between windows go to the later window, as numpy's reversed `argsort` does); otherwise it
    /// is a false positive. AP is VOC 2011's all-points interpolation over the precision/recall
    /// points, with as many positives as ground-truth windows.
    static func compute(
        predictions: [ScoredSpan], targets: [TimeSpan], iouThresholds: [Double]
    ) -> [Double] {
        guard !predictions.isEmpty, !targets.isEmpty else {
            return [Double](repeating: 0, count: iouThresholds.count)
        }
        let ranked = predictions.sortedByScore()
        // IoU of each prediction with each target, and the targets by decreasing IoU.
        let orders: [(ious: [Double], order: [Int])] = ranked.map { prediction in
            let ious = targets.map { prediction.span.intersectionOverUnion(with: $0) }
            let order = ious.indices.sorted { ious[$0] != ious[$1] ? ious[$0] > ious[$1] : $0 > $1 }
            return (ious, order)
        }
        return iouThresholds.map { threshold in
            var matched = [Bool](repeating: false, count: targets.count)
            var truePositives = 0
            var points: [(precision: Double, recall: Double)] = []
            for (position, (ious, order)) in orders.enumerated() {
                for target in order {
                    if ious[target] < threshold { break }
                    if matched[target] { continue }
                    matched[target] = true
                    truePositives += 1
                    break
                }
                points.append(
                    (
                        Double(truePositives) / Double(position + 1),
                        Double(truePositives) / Double(targets.count)
                    ))
            }
            return interpolatedAveragePrecision(points)
        }
    }

    /// VOC 2011 all-points interpolated AP: precision made non-increasing in recall, then summed
    /// over the recall steps (`interpolated_precision_recall`).
    static func interpolatedAveragePrecision(_ points: [(precision: Double, recall: Double)])
        -> Double
    {
        var precision = [0.0] + points.map(\.precision) + [0.0]
        let recall = [0.0] + points.map(\.recall) + [1.0]
        for index in stride(from: precision.count - 2, through: 0, by: -1) {
            precision[index] = max(precision[index], precision[index + 1])
        }
        var averagePrecision = 0.0
        for index in 1..<recall.count where recall[index] != recall[index - 1] {
            averagePrecision += (recall[index] - recall[index - 1]) * precision[index]
        }
        return averagePrecision
    }
}
