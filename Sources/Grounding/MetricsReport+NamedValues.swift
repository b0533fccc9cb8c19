import Metrics

extension MetricsReport {
    /// A figure by its short name: `R1@0.5`, `R5@0.7`, `mIoU`, `mAP`, `mAP@0.5`, `HIT@1`.
    public func value(named name: String) -> Double? {
        if name == "mIoU" { return recall?.meanIoUPercent }
        if name.hasPrefix("R"), let at = name.firstIndex(of: "@"),
            let rank = Int(name[name.index(after: name.startIndex)..<at]),
            let threshold = Double(name[name.index(after: at)...])
        {
            if let recall { return recall.percent(rank: rank, iouThreshold: threshold) }
            if rank == 1,
                let full = qvHighlights?.momentRetrieval?.first(where: { $0.range == .full })
            {
                return full.recallAtOne(iouThreshold: threshold)
            }
            return nil
        }
        let full = qvHighlights?.momentRetrieval?.first(where: { $0.range == .full })
        if name == "mAP" { return full?.averageMeanAveragePrecisionPercent }
        if name.hasPrefix("mAP@"), let threshold = Double(name.dropFirst(4)) {
            return full?.meanAveragePrecision(iouThreshold: threshold)
        }
        if name == "HIT@1" {
            return qvHighlights?.highlights?.first(where: { $0.level == .veryGood })?
                .hitAtOnePercent
        }
        return nil
    }
}
