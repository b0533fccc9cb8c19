/// Average precision of scores against binary labels, as moment_detr's highlight evaluation
/// computes it (`get_ap` on top of scikit-learn's `precision_recall_curve`).
enum RankingAveragePrecision {
    /// AP in [0, 1] of `scores` ranking the positives of `labels` first.
    ///
    /// Each distinct score is a threshold (tied scores count as one step); precision is made
    /// non-increasing as recall grows, then averaged over the distinct recall levels. All labels
    /// negative gives 0; all positive gives 1 (the reference's special cases).
    static func compute(labels: [Bool], scores: [Double]) -> Double {
        precondition(
            labels.count == scores.count,
            "RankingAveragePrecision: \(labels.count) labels, \(scores.count) scores")
        let positiveCount = labels.filter { $0 }.count
        if positiveCount == 0 { return 0 }
        if positiveCount == labels.count { return 1 }
        // Thresholds from the highest score down: cumulative true and false positives at the
        // last element of each run of equal scores.
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var points: [(precision: Double, recall: Double)] = []
        var truePositives = 0
        for (position, index) in order.enumerated() {
            if labels[index] { truePositives += 1 }
            let endOfRun =
                position == order.count - 1 || scores[order[position + 1]] != scores[index]
            if endOfRun {
                points.append(
                    (
                        Double(truePositives) / Double(position + 1),
                        Double(truePositives) / Double(positiveCount)
                    ))
            }
        }
        // scikit-learn lists the points from the lowest threshold (highest recall) up and then
        // appends (precision 1, recall 0); get_ap takes a running maximum of precision along
        // that list and averages it where the recall changes.
        var precision = points.reversed().map(\.precision) + [1]
        let recall = points.reversed().map(\.recall) + [0]
        for index in 1..<precision.count {
            precision[index] = max(precision[index - 1], precision[index])
        }
        var sum = 0.0
        var count = 0
        for index in 0..<(recall.count - 1) where Float(recall[index]) != Float(recall[index + 1]) {
            sum += precision[index]
            count += 1
        }
        return count == 0 ? 0 : sum / Double(count)
    }
}
