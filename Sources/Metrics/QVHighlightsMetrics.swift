import VTGCore

/// A figure at one IoU threshold.
public struct ValueAtIoU: Hashable, Codable, Sendable {
    /// The IoU threshold.
    public var iouThreshold: Double
    /// The figure, in percent.
    public var percent: Double
}

/// Ground-truth moment lengths QVHighlights reports separately.
public enum MomentLengthRange: String, CaseIterable, Codable, Sendable {
    /// Every window.
    case full
    /// Windows of length in (0, 10] s.
    case short
    /// Windows of length in (10, 30] s.
    case middle
    /// Windows of length in (30, 150] s.
    case long

    /// Whether a window of `lengthSeconds` belongs to the range.
    public func contains(lengthSeconds: Double) -> Bool {
        switch self {
        case .full: return true
        case .short: return lengthSeconds > 0 && lengthSeconds <= 10
        case .middle: return lengthSeconds > 10 && lengthSeconds <= 30
        case .long: return lengthSeconds > 30 && lengthSeconds <= 150
        }
    }
}

/// Moment retrieval figures over the queries that have a ground-truth window in one length
/// range (the windows outside the range are ignored).
public struct MomentRetrievalMetrics: Hashable, Codable, Sendable {
    /// The length range.
    public var range: MomentLengthRange
    /// Queries with at least one window in the range.
    public var queryCount: Int
    /// R1@m: the first window's best IoU with a ground-truth window ≥ m, in percent of queries.
    public var recallAtOne: [ValueAtIoU]
    /// mAP@m over the first 10 windows, in percent.
    public var meanAveragePrecision: [ValueAtIoU]
    /// The mean of ``meanAveragePrecision`` over the thresholds ("MR-mAP average").
    public var averageMeanAveragePrecisionPercent: Double

    /// The R1 figure at `iouThreshold`.
    public func recallAtOne(iouThreshold: Double) -> Double? {
        recallAtOne.first { $0.iouThreshold == iouThreshold }?.percent
    }

    /// The mAP figure at `iouThreshold`.
    public func meanAveragePrecision(iouThreshold: Double) -> Double? {
        meanAveragePrecision.first { $0.iouThreshold == iouThreshold }?.percent
    }
}

/// The saliency a clip needs to count as a highlight.
public enum SaliencyLevel: String, CaseIterable, Codable, Sendable {
    /// Score ≥ 2.
    case fair = "Fair"
    /// Score ≥ 3.
    case good = "Good"
    /// Score ≥ 4.
    case veryGood = "VeryGood"

    /// The smallest score that counts.
    public var minimumScore: Int {
        switch self {
        case .fair: return 2
        case .good: return 3
        case .veryGood: return 4
        }
    }
}

/// Highlight detection figures at one saliency level.
public struct HighlightMetrics: Hashable, Codable, Sendable {
    /// The level a clip must reach to be a highlight.
    public var level: SaliencyLevel
    /// Mean over queries × annotators of the AP of the predicted clip scores, in percent.
    public var meanAveragePrecisionPercent: Double
    /// Percentage of queries whose top-scored clip is a highlight for at least one annotator.
    public var hitAtOnePercent: Double
}

/// The QVHighlights evaluation (moment_detr `standalone_eval/eval.py`).
public struct QVHighlightsMetrics: Hashable, Codable, Sendable {
    /// Queries evaluated.
    public var queryCount: Int
    /// Moment retrieval by length range (full, short, middle, long); `nil` when no prediction has
    /// a window.
    public var momentRetrieval: [MomentRetrievalMetrics]?
    /// Highlight detection at each saliency level; `nil` when no prediction has clip scores or
    /// the ground truth has no saliency.
    public var highlights: [HighlightMetrics]?

    /// IoU thresholds 0.5, 0.55, ..., 0.95.
    public static let iouThresholds = stride(from: 50, through: 95, by: 5).map { Double($0) / 100 }

    /// At most this many windows per query enter the mAP.
    public static let maximumWindowsForAveragePrecision = 10

    /// The figures of one length range.
    public func momentRetrieval(_ range: MomentLengthRange) -> MomentRetrievalMetrics? {
        momentRetrieval?.first { $0.range == range }
    }

    /// The figures at one saliency level.
    public func highlight(_ level: SaliencyLevel) -> HighlightMetrics? {
        highlights?.first { $0.level == level }
    }

    /// Evaluates `windows[i]` (as submitted: the first is the top-1) and `clipScores[i]` (one
    /// score per 2-second clip, or `nil`) for `samples[i]`.
    ///
    /// Where the reference code would crash (a query without windows or clip scores), the
    /// query counts as a miss: IoU 0, AP 0, HIT 0. Windows are not clipped or rounded here.
    public static func compute(
        samples: [GroundingSample], windows: [[ScoredSpan]], clipScores: [[Double]?]
    ) -> QVHighlightsMetrics {
        precondition(
            samples.count == windows.count && samples.count == clipScores.count,
            "QVHighlightsMetrics.compute: \(samples.count) samples, \(windows.count) window lists, "
                + "\(clipScores.count) clip-score lists")
        let hasWindows = windows.contains { !$0.isEmpty }
        let momentRetrieval =
            hasWindows
            ? MomentLengthRange.allCases.map {
                momentRetrievalMetrics(range: $0, samples: samples, windows: windows)
            } : nil
        let hasScores = clipScores.contains { $0 != nil }
        let hasSaliency = samples.contains { $0.saliency != nil }
        let highlights =
            hasScores && hasSaliency
            ? SaliencyLevel.allCases.map {
                highlightMetrics(level: $0, samples: samples, clipScores: clipScores)
            } : nil
        return QVHighlightsMetrics(
            queryCount: samples.count, momentRetrieval: momentRetrieval, highlights: highlights)
    }

    private static func momentRetrievalMetrics(
        range: MomentLengthRange, samples: [GroundingSample], windows: [[ScoredSpan]]
    ) -> MomentRetrievalMetrics {
        let thresholds = iouThresholds
        var recallHits = [Int](repeating: 0, count: thresholds.count)
        var precisionSums = [Double](repeating: 0, count: thresholds.count)
        var queryCount = 0
        for (sample, predictions) in zip(samples, windows) {
            let targets = sample.targets.filter { range.contains(lengthSeconds: $0.lengthSeconds) }
            if targets.isEmpty { continue }
            queryCount += 1
            if let first = predictions.first {
                // The target with the highest true-union IoU (the first of equals), then the
                // hull IoU with it, as moment_detr's compute_mr_r1 does.
                var matchedTarget = targets[0]
                var bestUnionIoU = -1.0
                for target in targets {
                    let iou = first.span.intersectionOverUnion(with: target)
                    if iou > bestUnionIoU {
                        bestUnionIoU = iou
                        matchedTarget = target
                    }
                }
                let iou = first.span.intersectionOverHull(with: matchedTarget)
                for (position, threshold) in thresholds.enumerated() where iou >= threshold {
                    recallHits[position] += 1
                }
            }
            let precisions = DetectionAveragePrecision.compute(
                predictions: Array(predictions.prefix(maximumWindowsForAveragePrecision)),
                targets: targets, iouThresholds: thresholds)
            for position in thresholds.indices { precisionSums[position] += precisions[position] }
        }
        func percent(_ value: Double) -> Double {
            queryCount == 0 ? 0 : 100 * value / Double(queryCount)
        }
        let meanAveragePrecision = thresholds.indices.map {
            ValueAtIoU(iouThreshold: thresholds[$0], percent: percent(precisionSums[$0]))
        }
        return MomentRetrievalMetrics(
            range: range, queryCount: queryCount,
            recallAtOne: thresholds.indices.map {
                ValueAtIoU(iouThreshold: thresholds[$0], percent: percent(Double(recallHits[$0])))
            },
            meanAveragePrecision: meanAveragePrecision,
            averageMeanAveragePrecisionPercent: meanAveragePrecision.map(\.percent).reduce(0, +)
                / Double(thresholds.count))
    }

    /// HL-mAP and HIT@1. Ground truth: `int(duration / 2)` clips × annotators, the ratings at
    /// the rated clips and 0 elsewhere, binarised at the level. Scores are cut or zero-padded to
    /// the clip count for the AP; HIT@1 takes the first maximum of the scores as given, and an
    /// index past the clips scores 0.
    private static func highlightMetrics(
        level: SaliencyLevel, samples: [GroundingSample], clipScores: [[Double]?]
    ) -> HighlightMetrics {
        var precisionSum = 0.0
        var precisionCount = 0
        var hits = 0
        for (sample, scores) in zip(samples, clipScores) {
            guard let saliency = sample.saliency else { continue }
            let annotators = max(saliency.annotatorCount, 1)
            precisionCount += annotators
            guard let scores, !scores.isEmpty else { continue }
            let clipCount = Int(sample.durationSeconds / saliency.clipDurationSeconds)
            var labels = [[Bool]](
                repeating: [Bool](repeating: false, count: clipCount), count: annotators)
            for (row, clip) in saliency.clipIndices.enumerated() where clip < clipCount {
                for annotator in 0..<annotators
                where saliency.annotatorScores[row][annotator] >= level.minimumScore {
                    labels[annotator][clip] = true
                }
            }
            var fitted = Array(scores.prefix(clipCount))
            fitted += [Double](repeating: 0, count: clipCount - fitted.count)
            for annotator in 0..<annotators {
                precisionSum += RankingAveragePrecision.compute(
                    labels: labels[annotator], scores: fitted)
            }
            // The first maximum, as numpy's argmax (max(by:) keeps the first of equals).
            let best = scores.indices.max { scores[$0] < scores[$1] } ?? 0
            if best < clipCount, labels.contains(where: { $0[best] }) { hits += 1 }
        }
        let queryCount = samples.filter { $0.saliency != nil }.count
        return HighlightMetrics(
            level: level,
            meanAveragePrecisionPercent: precisionCount == 0
                ? 0 : 100 * precisionSum / Double(precisionCount),
            hitAtOnePercent: queryCount == 0 ? 0 : 100 * Double(hits) / Double(queryCount))
    }
}
